package io.dafedge.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.synth.Image;

class PipelineBenchTest {
    private static final int SIDE = 64;
    private static final long DETECT_MS = 4;

    /** Takes a fixed time and scores a flat map, so the detector's share is known and the rest is the pipeline. */
    private static final class SleepingDetector implements Detector {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public AnomalyMap score(Image image) {
            calls.incrementAndGet();
            try {
                Thread.sleep(DETECT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new AnomalyMap(SIDE, SIDE, new float[SIDE * SIDE], 0.1f);
        }

        @Override
        public int inputSize() {
            return SIDE;
        }

        @Override
        public void close() {
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void measuresEveryFrameEndToEndWithoutLosingAny() throws Exception {
        SleepingDetector detector = new SleepingDetector();
        List<String> progress = new ArrayList<>();
        PipelineReport r = PipelineBench.run(detector, "fake", new PipelineBench.Settings(12, 3, 1f, SIDE, true),
                progress::add);

        assertEquals(3 + 2 * 12, detector.calls.get(), "warm-up and both phases went through the detector");
        assertEquals(12, r.frames());
        assertEquals(0, r.dropped());
        assertEquals(0, r.failed());
        assertEquals(0, r.missing());
        for (Distribution d : new Distribution[] {r.latencyMs(), r.overheadMs(), r.detectMs(), r.decodeMs(),
                r.postprocessMs(), r.handOffMs()}) {
            assertEquals(12, d.count(), "every paced frame measured");
            assertTrue(d.p50() > 0 && d.p50() <= d.p99() && d.p99() <= d.max(), d.toString());
        }
        assertEquals(12, r.fullLoadOverheadMs().count());
        assertTrue(r.detectMs().p50() >= DETECT_MS, "the detector's time is what it slept: " + r.detectMs());
        assertTrue(r.latencyMs().p50() > r.detectMs().p50(), "a result arrives after its detection: " + r);
        // one frame at a time through a detector of DETECT_MS: the rate cannot exceed 1000 / DETECT_MS
        assertTrue(r.framesPerSecond() > 0 && r.framesPerSecond() < 1000.0 / DETECT_MS, "fps " + r.framesPerSecond());
        assertEquals(PipelineBench.PACED_LOAD * r.framesPerSecond(), r.pacedPerSecond(), 1e-9);
        assertTrue(r.overheadShare() > 0 && r.overheadShare() < 1, "share " + r.overheadShare());
        assertEquals(3, progress.size(), progress.toString());
    }

    @Test
    void percentilesAreNearestRank() {
        double[] v = new double[200];
        for (int i = 0; i < v.length; i++) {
            v[i] = v.length - i; // 200 down to 1
        }
        Distribution d = Distribution.of(v);
        assertArrayEquals(new double[] {100, 198, 200}, new double[] {d.p50(), d.p99(), d.max()});
        assertEquals(200, d.count());
        assertTrue(Double.isNaN(Distribution.of(new double[0]).p50()));
    }
}
