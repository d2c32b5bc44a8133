package io.dafedge.inspect;

import java.time.Duration;

import io.dafedge.ingest.Frame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The appliance's Prometheus metrics: frames in, dropped and inspected per camera, NOK count, queue depth, and
 * latency histograms per stage (queue wait, preprocess, detect, postprocess, and arrival to hand-off to the sinks).
 */
public final class InspectionMetrics implements ResultSink {
    private final MeterRegistry registry;

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

    @Override
    public void accept(InspectionResult r, Frame frame) {
        String[] tags = {"camera", r.camera(), "line", r.line()};
        Counter.builder("daf.frames.inspected").description("frames inspected, by verdict")
                .tags(tags).tag("verdict", r.verdict().name()).register(registry).increment();
        double work = r.preprocessMs() + r.detectMs() + r.postprocessMs();
        double total = (System.nanoTime() - frame.arrivedNanos()) / 1e6;
        stage("queue", Math.max(0, total - work), tags);
        stage("preprocess", r.preprocessMs(), tags);
        stage("detect", r.detectMs(), tags);
        stage("postprocess", r.postprocessMs(), tags);
        stage("total", total, tags);
    }

    private void stage(String stage, double ms, String[] tags) {
        Timer.builder("daf.inspection.stage").description("time per frame and stage")
                .tags(tags).tag("stage", stage).publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos((long) (ms * 1e6)));
    }
}
