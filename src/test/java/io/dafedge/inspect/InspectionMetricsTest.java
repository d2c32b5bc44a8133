package io.dafedge.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.synth.Image;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class InspectionMetricsTest {
    private static InspectionResult result(String camera, Verdict verdict, double detectMs) {
        return new InspectionResult(UUID.randomUUID(), camera, "line-1", null, Instant.now(), Instant.now(), verdict,
                1f, 2f, "m", 1, List.of(), 0, null, null, 0.5, detectMs, 2);
    }

    @Test
    void framesAreCountedByVerdictAndTimedByStagePerCamera() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InspectionMetrics metrics = new InspectionMetrics(registry);
        Frame frame = Frame.arrived("cam-a", null, new Image(16, 16, 3), "test", FrameOutcome.NONE);
        metrics.accept(result("cam-a", Verdict.OK, 10), frame);
        metrics.accept(result("cam-a", Verdict.OK, 20), frame);
        metrics.accept(result("cam-a", Verdict.NOK, 30), frame);
        metrics.accept(result("cam-b", Verdict.OK, 40), frame);

        assertEquals(2, registry.get("daf.frames.inspected").tags("camera", "cam-a", "verdict", "OK").counter()
                .count());
        assertEquals(1, registry.get("daf.frames.inspected").tags("camera", "cam-a", "verdict", "NOK").counter()
                .count());
        assertEquals(1, registry.get("daf.frames.inspected").tags("camera", "cam-b", "verdict", "OK").counter()
                .count());
        var detect = registry.get("daf.inspection.stage").tags("camera", "cam-a", "stage", "detect").timer();
        assertEquals(3, detect.count());
        assertEquals(60, detect.totalTime(TimeUnit.MILLISECONDS), 1e-6);
        assertEquals(3, registry.get("daf.inspection.stage").tags("camera", "cam-a", "stage", "total").timer()
                .count());
    }
}
