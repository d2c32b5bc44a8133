package io.dafedge.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/**
 * Times as every page shows them: to the second, in the appliance's time zone (the zone the history's filter reads
 * too), named, so an operator's browser elsewhere does not shift them ({@code {i.inspectedAt.shown}}).
 */
public final class Times {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")
            .withZone(ZoneId.systemDefault());

    private Times() {
    }

    @TemplateExtension
    public static String shown(Instant t) {
        return t == null ? "–" : SHOWN.format(t);
    }
}
