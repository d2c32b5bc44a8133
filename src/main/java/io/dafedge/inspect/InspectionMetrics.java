package io.dafedge.inspect;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.dafedge.ingest.Frame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The appliance's Prometheus metrics: frames in, dropped and inspected per camera, NOK count, queue depth, and
 * latency histograms per stage (queue wait, preprocess, detect, postprocess, and arrival to hand-off to the sinks).
 */
public final class InspectionMetrics implements ResultSink {
    private static final List<String> STAGES = List.of("queue", "preprocess", "detect", "postprocess", "total");

    private final MeterRegistry registry;
    private final Map<String, Meters> meters = new ConcurrentHashMap<>();

    public InspectionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the counters that live in a camera's queue and worker. */
    public void register(Appliance.Camera c) {
        String camera = c.settings().id();
        String line = c.settings().line();
        FunctionCounter.builder("daf.frames.received", c.queue(), q -> q.offered())
                .description("frames that reached the camera's queue").tags("camera", camera, "line", line)
                .register(registry);
        FunctionCounter.builder("daf.frames.dropped", c.queue(), q -> q.dropped())
                .description("frames dropped before inspection (queue full or closed)")
                .tags("camera", camera, "line", line).register(registry);
        FunctionCounter.builder("daf.frames.failed", c.worker(), w -> w.failed())
                .description("frames that could not be inspected").tags("camera", camera, "line", line)
                .register(registry);
        Gauge.builder("daf.queue.depth", c.queue(), q -> q.depth()).description("frames waiting for inspection")
                .tags("camera", camera, "line", line).register(registry);
    }

    /** A camera's meters, looked up once: building and registering them anew on every frame would cost time. */
    private record Meters(Map<Verdict, Counter> inspected, Map<String, Timer> stages) {
    }

    private Meters meters(InspectionResult r) {
        return meters.computeIfAbsent(r.camera(), camera -> {
            Tags tags = Tags.of("camera", camera, "line", r.line());
            Map<Verdict, Counter> inspected = new EnumMap<>(Verdict.class);
            for (Verdict v : Verdict.values()) {
                inspected.put(v, Counter.builder("daf.frames.inspected").description("frames inspected, by verdict")
                        .tags(tags).tag("verdict", v.name()).register(registry));
            }
            Map<String, Timer> stages = new HashMap<>();
            for (String stage : STAGES) {
                stages.put(stage, Timer.builder("daf.inspection.stage").description("time per frame and stage")
                        .tags(tags).tag("stage", stage).publishPercentileHistogram().register(registry));
            }
            return new Meters(inspected, stages);
        });
    }

    @Override
    public void accept(InspectionResult r, Frame frame) {
        Meters m = meters(r);
        m.inspected().get(r.verdict()).increment();
        double work = r.workMs();
        double total = (System.nanoTime() - frame.arrivedNanos()) / 1e6;
        record(m, "queue", Math.max(0, total - work));
        record(m, "preprocess", r.preprocessMs());
        record(m, "detect", r.detectMs());
        record(m, "postprocess", r.postprocessMs());
        record(m, "total", total);
    }

    private static void record(Meters m, String stage, double ms) {
        m.stages().get(stage).record(Duration.ofNanos((long) (ms * 1e6)));
    }
}
