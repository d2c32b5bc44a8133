package io.dafedge.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.CameraSettings.Roi;
import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.ingest.FrameSources;
import io.dafedge.store.CandidateFrames;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;

/**
 * Moving a camera's ROI at run time: checked against the latest frame, remembered, and in force from the next frame
 * on, for inspection and for the frames kept for training (the line has no model, so its frames are kept).
 */
class CameraRoisTest {
    @TempDir
    Path tmp;
    private final List<String> saved = new ArrayList<>();
    private final AtomicReference<Appliance> holder = new AtomicReference<>();
    private Appliance appliance;
    private CameraRois rois;

    @BeforeEach
    void appliance() {
        LineModels models = new LineModels();
        CandidateFrames kept = new CandidateFrames(tmp.resolve("lines"), 100,
                id -> holder.get().camera(id).orElseThrow().worker().camera());
        appliance = new Appliance(List.of(new CameraSettings("cam", "one", "http",
                Optional.of(new Roi(0, 0, 40, 40)), 0, 0, 2)), models, new Inspector(models::current,
                new Postprocess(), Clock.systemUTC()), List.of(kept), FrameSources::create);
        holder.set(appliance);
        rois = new CameraRois(appliance, new CameraRois.Store() {
            @Override
            public void save(String camera, Roi roi, String who) {
                saved.add(camera + " " + roi + " " + who);
            }

            @Override
            public void forget(String camera) {
                saved.add(camera + " forgotten");
            }
        });
    }

    @AfterEach
    void close() {
        appliance.close();
    }

    private Frame frame() {
        Frame f = Frame.arrived("cam", null, new Image(64, 48, 3), "test", FrameOutcome.NONE);
        appliance.camera("cam").orElseThrow().worker().handle(f);
        return f;
    }

    private Image kept(Frame f) throws Exception {
        return ImageFiles.read(tmp.resolve("lines/one/collected/cam-" + f.resultId() + ".png"));
    }

    @Test
    void aChangedRoiIsRememberedAndCropsTheNextFrames() throws Exception {
        Image before = kept(frame());
        assertEquals(40, before.width);
        CameraRois.State s = rois.change("cam", new Roi(10, 5, 20, 30), "ed");
        assertEquals(List.of("cam Roi[x=10, y=5, width=20, height=30] ed"), saved);
        assertEquals(new Roi(0, 0, 40, 40), s.configured());
        assertEquals(new Roi(10, 5, 20, 30), s.inForce());
        assertEquals(64, s.frameWidth());
        assertEquals(48, s.frameHeight());
        Image after = kept(frame());
        assertEquals(20, after.width);
        assertEquals(30, after.height);
    }

    @Test
    void aResetGoesBackToTheConfiguredRoiAndForgetsTheChangedOne() throws Exception {
        frame();
        rois.change("cam", new Roi(10, 5, 20, 30), "ed");
        CameraRois.State s = rois.reset("cam");
        assertEquals("cam forgotten", saved.get(saved.size() - 1));
        assertEquals(new Roi(0, 0, 40, 40), s.inForce());
        assertEquals(40, kept(frame()).width);
    }

    @Test
    void aRoiOutsideTheFrameIsRefusedAndNothingChanges() {
        frame();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rois.change("cam", new Roi(50, 0, 20, 10), "ed"));
        assertEquals("camera cam: ROI 50,0,20,10 does not fit inside its 64x48 frame", e.getMessage());
        assertTrue(saved.isEmpty());
        assertEquals(new Roi(0, 0, 40, 40), rois.state("cam").inForce());
    }

    @Test
    void beforeTheFirstFrameThereIsNoSizeToCheckAgainst() {
        CameraRois.State s = rois.state("cam");
        assertNull(s.frameWidth());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> rois.change("cam", new Roi(0, 0, 10, 10), "ed"));
        assertTrue(e.getMessage().startsWith("camera cam has delivered no frame yet"), e.getMessage());
        assertTrue(saved.isEmpty());
    }

    @Test
    void anUnknownCameraIsNamed() {
        assertEquals("no camera 'nope' is configured", assertThrows(NoSuchElementException.class,
                () -> rois.state("nope")).getMessage());
        assertThrows(NoSuchElementException.class, () -> rois.change("nope", new Roi(0, 0, 1, 1), "ed"));
        assertTrue(saved.isEmpty());
    }
}
