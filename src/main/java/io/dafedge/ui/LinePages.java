package io.dafedge.ui;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.resteasy.reactive.RestStreamElementType;

import io.dafedge.api.LineSnapshots;
import io.dafedge.security.Role;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The line view: per camera the latest frame with its heat map and boxes, verdict, score, rate, drops, model and
 * queue, kept current by server-sent events.
 */
@RolesAllowed(Role.OPERATOR_ROLE)
@Path("/ui")
public class LinePages {
    /**
     * How often the view may change: a line at 50 frames/s would otherwise push more pictures than a browser shows
     * or a plant network should carry; the newest result wins.
     */
    static final Duration PERIOD = Duration.ofMillis(500);

    private final Template line;
    private final LineSnapshots snapshots;
    /** The view of the last period, shared: screens on every desk ask for it, the appliance builds it once. */
    private final AtomicReference<Taken> taken = new AtomicReference<>();

    private record Taken(long nanos, View view) {
    }

    LinePages(Template line, LineSnapshots snapshots) {
        this.line = line;
        this.snapshots = snapshots;
    }

    /** What the view shows at one moment. */
    public record View(List<LineSnapshots.Line> lines, List<LineSnapshots.Camera> cameras) {
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance view() {
        return line.data("view", current());
    }

    private View current() {
        long now = System.nanoTime();
        Taken t = taken.get();
        if (t == null || now - t.nanos() >= PERIOD.toNanos() / 2) {
            t = new Taken(now, new View(snapshots.lines(), snapshots.cameras()));
            taken.set(t);
        }
        return t.view();
    }

    /** A new view whenever something changed, checked every {@link #PERIOD}. */
    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<View> events() {
        AtomicReference<View> last = new AtomicReference<>();
        return Multi.createFrom().ticks().every(PERIOD)
                .onOverflow().drop()
                .map(tick -> current())
                .filter(v -> !v.equals(last.getAndSet(v)));
    }

    /** The picture of the camera's latest result (its heat map, else its thumbnail). */
    @GET
    @Path("cameras/{id}/latest.png")
    @Produces("image/png")
    public byte[] latest(@PathParam("id") String id) {
        return snapshots.latestPicture(id).orElseThrow(() -> new NotFoundException("no picture of camera " + id));
    }
}
