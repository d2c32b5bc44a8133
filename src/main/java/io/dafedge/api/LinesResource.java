package io.dafedge.api;

import java.time.Instant;
import java.util.List;

import io.dafedge.ApplianceBean;
import io.dafedge.ingest.SourceState;
import io.dafedge.inspect.Appliance;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.LineModel;
import io.dafedge.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Lines and cameras with their state right now. */
@RolesAllowed(Role.OPERATOR_ROLE)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class LinesResource {
    private final ApplianceBean appliance;

    LinesResource(ApplianceBean appliance) {
        this.appliance = appliance;
    }

    /** A line: what it does now, its model and threshold (null while it has none), its cameras. */
    public record Line(String id, String state, String modelId, Integer modelVersion, Float threshold,
            List<String> cameras, int collectedFrames) {
    }

    public record Latest(String resultId, Instant inspectedAt, String verdict, Float score) {
    }

    public record Camera(String id, String line, String source, String sourceState, String lastError,
            Instant nextAttempt, long received, long dropped, int queueDepth, int queueCapacity, long inspected,
            long failed, long nok, long skippedByRateCap, long undecodable, double framesPerSecond, Latest latest) {
    }

    @GET
    @Path("lines")
    public List<Line> lines() {
        Appliance a = appliance.appliance();
        return a.lines().stream().map(id -> {
            LineModel m = a.models().current(id).orElse(null);
            return new Line(id, a.models().state(id), m == null ? null : m.modelId(),
                    m == null ? null : m.modelVersion(), m == null ? null : m.threshold(),
                    a.cameras().stream().filter(c -> c.settings().line().equals(id)).map(c -> c.settings().id())
                            .toList(), appliance.candidates().kept(id));
        }).toList();
    }

    @GET
    @Path("cameras")
    public List<Camera> cameras() {
        return appliance.appliance().cameras().stream().map(this::camera).toList();
    }

    @GET
    @Path("cameras/{id}")
    public Camera camera(@PathParam("id") String id) {
        return appliance.appliance().camera(id).map(this::camera).orElseThrow(
                () -> new ApiException(Response.Status.NOT_FOUND, "no camera '" + id + "' is configured"));
    }

    private Camera camera(Appliance.Camera c) {
        SourceState s = c.source().state();
        var counters = c.source().counters();
        InspectionResult r = c.worker().latest();
        return new Camera(c.settings().id(), c.settings().line(), c.settings().source(), s.state().name(),
                s.lastError(), s.nextAttempt(), c.queue().offered(), c.queue().dropped(), c.queue().depth(),
                c.queue().capacity(), c.worker().inspected(), c.worker().failed(), c.worker().nok(),
                counters.skippedByRateCap(), counters.undecodable(), appliance.rate(c.settings().id()),
                r == null ? null : new Latest(r.resultId().toString(), r.inspectedAt(), r.verdict().name(), r.score()));
    }
}
