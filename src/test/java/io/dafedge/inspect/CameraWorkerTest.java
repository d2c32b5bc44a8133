package io.dafedge.inspect;

import static io.dafedge.inspect.TestMaps.camera;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.ingest.FrameQueue;
import io.dafedge.synth.Image;

/** A camera's inspection thread: results to every sink, outcomes told, failures counted and contained. */
class CameraWorkerTest {
    private final List<String> outcomes = new CopyOnWriteArrayList<>();

    private Frame frame(String camera, int w, int h) {
        return Frame.arrived(camera, null, new Image(w, h, 3), "test",
                (status, reason) -> outcomes.add(status + (reason == null ? "" : ": " + reason)));
    }

    private static CameraWorker worker(CameraSettings cam, List<ResultSink> sinks) {
        LineModels models = new LineModels();
        return new CameraWorker(cam, new FrameQueue(cam.id(), 4),
                new Inspector(models::current, new Postprocess(), Clock.systemUTC()), models, sinks);
    }

    @Test
    void aLineWithoutModelGetsUnknownResultsInEverySinkEvenWhenOneSinkBreaks() throws Exception {
        List<InspectionResult> got = new ArrayList<>();
        ResultSink broken = (r, f) -> {
            throw new IllegalStateException("sink down");
        };
        CameraWorker w = worker(camera("cam", null, 0), List.of(broken, (r, f) -> got.add(r)));
        w.start();
        w.queue().offer(frame("cam", 32, 32));
        for (int i = 0; i < 100 && got.isEmpty(); i++) {
            Thread.sleep(20);
        }
        w.close();
        assertEquals(1, got.size());
        assertEquals(Verdict.UNKNOWN, got.get(0).verdict());
        assertNull(got.get(0).score());
        assertEquals(List.of("INSPECTED"), outcomes);
        assertEquals(1, w.inspected());
        assertEquals(0, w.nok());
        assertEquals(got.get(0), w.latest());
    }

    @Test
    void aFrameThatCannotBeInspectedIsFailedWithItsReasonAndTheCameraGoesOn() {
        List<InspectionResult> got = new ArrayList<>();
        CameraWorker w = worker(camera("cam", new CameraSettings.Roi(20, 20, 50, 50), 0), List.of((r, f) -> got.add(r)));
        assertNull(w.handle(frame("cam", 32, 32)));
        assertEquals(1, w.failed());
        assertEquals(1, outcomes.size());
        assertTrue(outcomes.get(0).startsWith("FAILED: camera cam: ROI"), outcomes.get(0));
        assertTrue(got.isEmpty());
        w.handle(frame("cam", 100, 100));
        assertEquals(1, got.size(), "the next frame, which the ROI fits, is inspected");
    }

    @Test
    void framesWaitingAtCloseAreDroppedAndTold() {
        CameraWorker w = worker(camera("cam", null, 0), List.of());
        w.queue().offer(frame("cam", 32, 32));
        w.queue().offer(frame("cam", 32, 32));
        w.close();
        assertEquals(List.of(FrameOutcome.Status.DROPPED, FrameOutcome.Status.DROPPED),
                outcomes.stream().map(o -> FrameOutcome.Status.valueOf(o.split(":")[0])).toList());
    }
}
