package io.dafedge.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.Verdict;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.TestImages;

class CandidateFramesTest {
    private static final CameraSettings TURNED = new CameraSettings("cam", "line", "http",
            Optional.of(new CameraSettings.Roi(10, 20, 40, 30)), 90, 0, 4);

    private static void offer(CandidateFrames c, Image image, Verdict verdict) {
        Frame f = Frame.arrived("cam", null, image, "test", FrameOutcome.NONE);
        c.accept(new InspectionResult(f.resultId(), "cam", "line", null, f.capturedAt(), Instant.now(), verdict,
                null, null, null, null, List.of(), 0, null, null, 0, 0, 0), f);
    }

    private static List<Path> kept(Path dir) throws Exception {
        Path collected = dir.resolve("line").resolve("collected");
        try (var s = Files.list(collected)) {
            return s.sorted().toList();
        }
    }

    @Test
    void framesAreKeptAsTheModelWouldSeeThemCroppedAndTurned(@TempDir Path dir) throws Exception {
        CandidateFrames c = new CandidateFrames(dir, 10, Map.of("cam", TURNED)::get);
        Image frame = TestImages.surface(100, 80, 3, 5);
        offer(c, frame, Verdict.UNKNOWN);

        Image stored = ImageFiles.read(kept(dir).get(0));
        assertEquals(30, stored.width, "rotated 90 degrees: the ROI's height becomes the width");
        assertEquals(40, stored.height);
        // clockwise: the stored image's top-right pixel is the ROI's top-left one
        int src = ((20 * 100) + 10) * 3;
        int dst = (29) * 3;
        assertArrayEquals(new byte[] {frame.data[src], frame.data[src + 1], frame.data[src + 2]},
                new byte[] {stored.data[dst], stored.data[dst + 1], stored.data[dst + 2]});
    }

    @Test
    void onlyUnjudgedFramesAreKeptAndNoMoreThanTheLimit(@TempDir Path dir) throws Exception {
        CandidateFrames c = new CandidateFrames(dir, 2, Map.of("cam", TURNED)::get);
        Image frame = TestImages.surface(100, 80, 3, 6);
        offer(c, frame, Verdict.OK);
        offer(c, frame, Verdict.NOK);
        for (int i = 0; i < 4; i++) {
            offer(c, frame, Verdict.UNKNOWN);
        }
        assertEquals(2, kept(dir).size());
        assertEquals(2, c.kept("line"));
        assertEquals(2, new CandidateFrames(dir, 2, Map.of("cam", TURNED)::get).kept("line"), "counted from disk anew");
    }
}
