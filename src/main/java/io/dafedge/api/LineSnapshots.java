package io.dafedge.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.dafedge.ApplianceBean;
import io.dafedge.ingest.SourceState;
import io.dafedge.inspect.Appliance;
import io.dafedge.inspect.DefectRegion;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.LineModel;
import jakarta.enterprise.context.ApplicationScoped;

/** Lines and cameras as they are right now: what the API lists and the line view streams. */
@ApplicationScoped
public class LineSnapshots {
    private final ApplianceBean appliance;

    LineSnapshots(ApplianceBean appliance) {
        this.appliance = appliance;
    }

    /** A line: what it does now, its model and threshold (null while it has none), its cameras. */
    public record Line(String id, String state, String modelId, Integer modelVersion, Float threshold,
            List<String> cameras, int collectedFrames) {
    }

    /** A defect region in frame coordinates. */
    public record Region(int x, int y, int width, int height, float maxScore) {
    }

    /**
     * The camera's latest result; {@code picture}: whether it has one to show (its heat map, else its thumbnail).
     */
    public record Latest(String resultId, Instant inspectedAt, String verdict, Float score, Float threshold,
            String modelId, Integer modelVersion, List<Region> regions, int regionsOmitted, boolean picture) {
    }

    public record Camera(String id, String line, String source, String sourceState, String lastError,
            Instant nextAttempt, long received, long dropped, int queueDepth, int queueCapacity, long inspected,
            long failed, long nok, long skippedByRateCap, long undecodable, double framesPerSecond, Latest latest) {
    }

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

    public List<Camera> cameras() {
        return appliance.appliance().cameras().stream().map(this::camera).toList();
    }

    public Optional<Camera> camera(String id) {
        return appliance.appliance().camera(id).map(this::camera);
    }

    /** The picture of the camera's latest result: its heat map with the regions boxed, else its thumbnail. */
    public Optional<byte[]> latestPicture(String camera) {
        return appliance.appliance().camera(camera).map(c -> c.worker().latest()).map(LineSnapshots::picture);
    }

    private Camera camera(Appliance.Camera c) {
        SourceState s = c.source().state();
        var counters = c.source().counters();
        InspectionResult r = c.worker().latest();
        return new Camera(c.settings().id(), c.settings().line(), c.settings().source(), s.state().name(),
                s.lastError(), s.nextAttempt(), c.queue().offered(), c.queue().dropped(), c.queue().depth(),
                c.queue().capacity(), c.worker().inspected(), c.worker().failed(), c.worker().nok(),
                counters.skippedByRateCap(), counters.undecodable(), appliance.rate(c.settings().id()),
                r == null ? null : latest(r));
    }

    private static Latest latest(InspectionResult r) {
        return new Latest(r.resultId().toString(), r.inspectedAt(), r.verdict().name(), r.score(), r.threshold(),
                r.modelId(), r.modelVersion(), r.regions().stream().map(LineSnapshots::region).toList(),
                r.omittedRegions(), picture(r) != null);
    }

    private static Region region(DefectRegion d) {
        return new Region(d.box().x(), d.box().y(), d.box().width(), d.box().height(), d.maxScore());
    }

    private static byte[] picture(InspectionResult r) {
        return r.overlayPng() != null ? r.overlayPng() : r.thumbnailPng();
    }
}
