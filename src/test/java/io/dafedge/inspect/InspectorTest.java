package io.dafedge.inspect;

import static io.dafedge.inspect.TestMaps.camera;
import static io.dafedge.inspect.TestMaps.draw;
import static io.dafedge.inspect.TestMaps.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.CameraSettings.Roi;
import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.synth.Image;
import org.junit.jupiter.api.Test;

class InspectorTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Returns a hand-made map whatever it is shown, and keeps what it was shown. */
    private static final class FakeDetector implements Detector {
        final AnomalyMap map;
        final List<Image> seen = new ArrayList<>();

        FakeDetector(AnomalyMap map) {
            this.map = map;
        }

        @Override
        public AnomalyMap score(Image image) {
            seen.add(image);
            return map;
        }

        @Override
        public int inputSize() {
            return map.width();
        }

        @Override
        public void close() {
        }
    }

    private static Inspector inspector(Map<String, LineModel> models) {
        return new Inspector(line -> Optional.ofNullable(models.get(line)), new Postprocess(), CLOCK);
    }

    private static Frame frame(String camera, Image image) {
        return new Frame(UUID.randomUUID(), camera, "part-42", NOW.minusMillis(30), 0, image, "test",
                FrameOutcome.NONE);
    }

    private static Image gradient(int w, int h) {
        Image img = new Image(w, h, 3);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = (byte) (i % 251);
        }
        return img;
    }

    /**
     * ROI 8 x 4 at (10, 20) of a 40 x 30 frame, turned 90 degrees: the detector sees 4 x 8; its 4 x 4 map puts one
     * defect in the top-right map pixel, which is the ROI's top-left 2 x 1 frame pixels.
     */
    @Test
    void aFrameIsCroppedTurnedJudgedAndItsRegionsPlacedInTheFrame() {
        CameraSettings cam = camera("cam-1", new Roi(10, 20, 8, 4), 90);
        FakeDetector detector = new FakeDetector(draw(7, "...9", "....", "....", "...."));
        Frame frame = frame("cam-1", gradient(40, 30));

        InspectionResult r = inspector(Map.of("line-1", new LineModel(detector, 5, "model-1", 3))).inspect(frame, cam);

        assertEquals(List.of(FrameGeometry.of(cam, 40, 30).inspected(frame.image())), detector.seen);
        assertEquals("4x8x3", detector.seen.get(0).toString());
        assertEquals(frame.resultId(), r.resultId());
        assertEquals("cam-1", r.camera());
        assertEquals("line-1", r.line());
        assertEquals("part-42", r.partId());
        assertEquals(frame.capturedAt(), r.capturedAt());
        assertEquals(NOW, r.inspectedAt());
        assertEquals(Verdict.NOK, r.verdict());
        assertEquals(7f, r.score());
        assertEquals(5f, r.threshold());
        assertEquals("model-1", r.modelId());
        assertEquals(3, r.modelVersion());
        assertEquals(List.of(new DefectRegion(new Box(10, 20, 2, 1), new Box(3, 0, 1, 1), 2, 9, 9)), r.regions());
        assertEquals(0, r.omittedRegions());
        assertEquals("4x4x3", png(r.overlayPng()).toString());
        assertEquals("4x8x3", png(r.thumbnailPng()).toString());
        assertTrue(r.preprocessMs() >= 0 && r.detectMs() >= 0 && r.postprocessMs() > 0);
    }

    @Test
    void belowTheThresholdThePartIsOk() {
        FakeDetector detector = new FakeDetector(draw(4, "....", "....", "..4.", "...."));
        InspectionResult r = inspector(Map.of("line-1", new LineModel(detector, 5, "model-1", 1)))
                .inspect(frame("cam-1", gradient(16, 16)), camera("cam-1", null, 0));
        assertEquals(Verdict.OK, r.verdict());
        assertTrue(r.regions().isEmpty());
    }

    @Test
    void onlyFramesWhosePicturesAreKeptGetAThumbnail() {
        Map<String, LineModel> models = Map.of("line-1", new LineModel(
                new FakeDetector(draw(7, "....", "....", "..9.", "....")), 5, "model-1", 1));
        Inspector nokOnly = new Inspector(line -> Optional.ofNullable(models.get(line)), new Postprocess(), CLOCK,
                Inspector.picturesKept(false));
        InspectionResult nok = nokOnly.inspect(frame("cam-1", gradient(16, 16)), camera("cam-1", null, 0));
        assertEquals(Verdict.NOK, nok.verdict());
        assertNotNull(nok.thumbnailPng());
        Map<String, LineModel> calm = Map.of("line-1", new LineModel(
                new FakeDetector(draw(4, "....", "....", "..1.", "....")), 5, "model-1", 1));
        Inspector keepOk = new Inspector(line -> Optional.ofNullable(calm.get(line)), new Postprocess(), CLOCK,
                Inspector.picturesKept(false));
        InspectionResult ok = keepOk.inspect(frame("cam-1", gradient(16, 16)), camera("cam-1", null, 0));
        assertEquals(Verdict.OK, ok.verdict());
        assertNull(ok.thumbnailPng(), "OK pictures are not kept, so none is encoded");
        assertNotNull(ok.overlayPng(), "the heat map is still published");
        Inspector all = new Inspector(line -> Optional.ofNullable(calm.get(line)), new Postprocess(), CLOCK,
                Inspector.picturesKept(true));
        assertNotNull(all.inspect(frame("cam-1", gradient(16, 16)), camera("cam-1", null, 0)).thumbnailPng());
    }

    @Test
    void everyNthOkFrameKeepsItsPicturesForReviewAndEveryNokFrame() {
        var kept = Inspector.picturesKept(false, 3);
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            seen.append(kept.test(Verdict.OK) ? 'k' : '-');
        }
        assertEquals("--k--k-", seen.toString());
        assertTrue(kept.test(Verdict.NOK), "NOK pictures are always kept, and do not count towards the sample");
        assertEquals(false, kept.test(Verdict.OK));
        assertTrue(kept.test(Verdict.UNKNOWN), "frames without a model are sampled too (the 9th)");
        var none = Inspector.picturesKept(false, 0);
        assertTrue(java.util.stream.IntStream.range(0, 100).noneMatch(i -> none.test(Verdict.OK)));
    }

    @Test
    void okFramesGetNoHeatMapWhenNeitherPublishedNorKept() {
        Map<String, LineModel> calm = Map.of("line-1", new LineModel(
                new FakeDetector(draw(4, "....", "....", "..1.", "....")), 5, "model-1", 1));
        Map<String, LineModel> defect = Map.of("line-1", new LineModel(
                new FakeDetector(draw(7, "....", "....", "..9.", "....")), 5, "model-1", 1));
        Predicate<Verdict> nokOnly = Inspector.overlaysMade(false, false);
        InspectionResult ok = new Inspector(line -> Optional.ofNullable(calm.get(line)), new Postprocess(), CLOCK,
                Inspector.picturesKept(false), nokOnly).inspect(frame("cam-1", gradient(16, 16)),
                camera("cam-1", null, 0));
        assertEquals(Verdict.OK, ok.verdict());
        assertNull(ok.overlayPng());
        assertNotNull(ok.score(), "the frame is judged all the same");
        InspectionResult nok = new Inspector(line -> Optional.ofNullable(defect.get(line)), new Postprocess(), CLOCK,
                Inspector.picturesKept(false), nokOnly).inspect(frame("cam-1", gradient(16, 16)),
                camera("cam-1", null, 0));
        assertEquals(Verdict.NOK, nok.verdict());
        assertNotNull(nok.overlayPng(), "a NOK frame's heat map is always made: it is stored");
        assertTrue(Inspector.overlaysMade(true, false).test(Verdict.OK));
        assertTrue(Inspector.overlaysMade(false, true).test(Verdict.OK), "stored OK pictures need their heat map");
    }

    @Test
    void aLineWithoutModelIsUnknownWithNothingMadeUp() {
        InspectionResult r = inspector(Map.of()).inspect(frame("cam-1", gradient(40, 30)),
                camera("cam-1", new Roi(0, 0, 20, 10), 0));
        assertEquals(Verdict.UNKNOWN, r.verdict());
        assertNull(r.score());
        assertNull(r.threshold());
        assertTrue(r.regions().isEmpty());
        assertEquals(0, r.omittedRegions());
        assertNull(r.overlayPng());
        assertEquals(0, r.detectMs());
        assertNotNull(r.thumbnailPng());
        assertEquals("20x10x3", png(r.thumbnailPng()).toString());
    }

    @Test
    void aRoiOutsideTheFrameFailsNamingTheCameraBeforeTheDetectorRuns() {
        FakeDetector detector = new FakeDetector(draw(0, "....", "....", "....", "...."));
        Inspector inspector = inspector(Map.of("line-1", new LineModel(detector, 5, "model-1", 1)));
        var e = assertThrows(IllegalArgumentException.class, () -> inspector.inspect(frame("cam-9", gradient(40, 30)),
                camera("cam-9", new Roi(30, 0, 20, 10), 0)));
        assertTrue(e.getMessage().contains("camera cam-9"), e.getMessage());
        assertTrue(detector.seen.isEmpty());
    }

    @Test
    void aFrameWithAnotherCamerasSettingsIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> inspector(Map.of()).inspect(frame("cam-1", gradient(16, 16)), camera("cam-2", null, 0)));
    }
}
