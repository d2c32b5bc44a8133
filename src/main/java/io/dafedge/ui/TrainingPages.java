package io.dafedge.ui;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.UUID;

import org.jboss.resteasy.reactive.RestForm;

import io.dafedge.TrainingBean;
import io.dafedge.api.Refusals;
import io.dafedge.security.Role;
import io.dafedge.train.SiteTraining;
import io.dafedge.train.TrainingRun;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The Training page: start a run on a line's collected frames, follow the current one (the page polls
 * {@code /ui/training/current} every 2 s), and compare finished runs' models with the line's active model. Promotion
 * stays on the Models page.
 */
@RolesAllowed(Role.ENGINEER_ROLE)
@Path("/ui/training")
@Produces(MediaType.TEXT_HTML)
public class TrainingPages {
    /** The budget the form suggests: long enough for a usable model on a few hundred frames. */
    static final int SUGGESTED_MINUTES = 30;

    private final Template training;
    private final TrainingBean bean;

    TrainingPages(Template training, TrainingBean bean) {
        this.training = training;
        this.bean = bean;
    }

    /** A line the form offers, with the frames a run would have. */
    public record LineChoice(String id, int frames) {
    }

    /** A run as the page shows it, its figures formatted. */
    public record RunView(String id, String line, String strategy, String budget, String state, boolean active,
            String created, String startedBy, String message, int percent, String eta, String losses, String modelId,
            String candidate, String current, String reviewed) {
    }

    @GET
    public TemplateInstance page() {
        return page(null, null, null, null);
    }

    /** The current run for the page's script; 204 when none has started since the appliance did. */
    @GET
    @Path("current")
    @Produces(MediaType.APPLICATION_JSON)
    public Response current() {
        return bean.training().current().map(r -> Response.ok(r).build()).orElse(Response.noContent().build());
    }

    @POST
    public Object start(@RestForm String line, @RestForm String strategy, @RestForm String minutes,
            @Context SecurityContext who) {
        double budget;
        try {
            budget = Double.parseDouble(minutes == null ? "" : minutes.strip());
        } catch (NumberFormatException e) {
            return refused(Response.Status.BAD_REQUEST, "The time budget must be a number of minutes, got '" + minutes
                    + "'.", line, strategy, minutes);
        }
        try {
            bean.training().start(line, strategy, budget, who.getUserPrincipal().getName());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return refused(Refusals.status(e), e.getMessage(), line, strategy, minutes);
        }
        return AccessPages.seeOther("/ui/training");
    }

    @POST
    @Path("{id}/cancel")
    public Object cancel(@PathParam("id") String id, @Context SecurityContext who) {
        UUID run;
        try {
            run = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.NOT_FOUND).entity(page("No training run " + id + ".", null, null,
                    null)).build();
        }
        try {
            bean.training().cancel(run, who.getUserPrincipal().getName());
        } catch (NoSuchElementException | IllegalStateException e) {
            return Response.status(Refusals.status(e)).entity(page(e.getMessage(), null, null, null)).build();
        }
        return AccessPages.seeOther("/ui/training");
    }

    private Response refused(Response.Status status, String error, String line, String strategy, String minutes) {
        return Response.status(status).entity(page(error, line, strategy, minutes)).build();
    }

    private TemplateInstance page(String error, String line, String strategy, String minutes) {
        SiteTraining t = bean.training();
        List<LineChoice> lines = bean.lines().stream().map(l -> new LineChoice(l, t.collectedFrames(l))).toList();
        SiteTraining.Limits limits = t.limits();
        List<RunView> runs = t.list().stream().map(TrainingPages::view).toList();
        RunView current = t.current().map(TrainingPages::view).orElse(null);
        return training.data("error", error)
                .data("lines", lines)
                .data("strategies", SiteTraining.strategies())
                .data("line", line)
                .data("strategy", strategy == null ? SiteTraining.strategies().get(0) : strategy)
                .data("minutes", minutes == null ? Integer.toString((int) Math.min(SUGGESTED_MINUTES,
                        limits.maxMinutes())) : minutes)
                .data("minMinutes", number(limits.minMinutes()))
                .data("maxMinutes", number(limits.maxMinutes()))
                .data("minImages", limits.minImages())
                .data("threads", limits.threads())
                .data("current", current)
                .data("runs", runs);
    }

    static RunView view(TrainingRun r) {
        TrainingRun.Comparison c = r.evaluation();
        TrainingRun.Losses l = r.losses();
        return new RunView(r.id().toString(), r.line(), r.strategy(), number(r.minutes()) + " min",
                r.state().name(), !r.state().finished(), Times.shown(r.createdAt()), r.startedBy(), r.message(),
                (int) Math.round(100 * r.fraction()), eta(r.etaSeconds()),
                l == null ? "–" : String.format(Locale.ROOT, "total %.4f (segmentation %.4f, boost %.4f)", l.total(),
                        l.segmentation(), l.boost()),
                r.modelId(), c == null ? null : score(c.candidate()),
                c == null ? null : c.active() == null ? "the line had no active model" : score(c.active()),
                c == null ? null : c.good() + " good, " + c.defective() + " defective");
    }

    static String eta(Double seconds) {
        if (seconds == null) {
            return "–";
        }
        Duration d = Duration.ofSeconds(Math.round(seconds));
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%d h %02d min", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }

    private static String score(TrainingRun.ModelScore s) {
        return String.format(Locale.ROOT, "%s: AUROC %s; at threshold %.4g (%s): %d right, %d false alarms, "
                + "%d misses", s.modelId().substring(0, Math.min(8, s.modelId().length())),
                s.auroc() == null ? "n/a (needs reviewed frames of both kinds)"
                        : String.format(Locale.ROOT, "%.3f", s.auroc()),
                s.threshold(), s.thresholdSource(), s.correct(), s.falseAlarms(), s.misses());
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
