package io.dafedge.inspect;

import java.util.NoSuchElementException;
import java.util.Optional;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.Frame;

/**
 * A camera's region of interest as an engineer moves it at run time: checked against the size of the camera's
 * latest frame, remembered (the remembered one overrides the configured one at start-up) and in force from the
 * next frame on, without a restart.
 */
public final class CameraRois {
    /** Where a changed ROI is remembered. */
    public interface Store {
        void save(String camera, CameraSettings.Roi roi, String who);

        /** Forgets the camera's ROI: the configured one applies again, also after a restart. */
        void forget(String camera);
    }

    /**
     * A camera's ROIs; null stands for the whole frame.
     *
     * @param configured  the site's {@code daf.cameras.<id>.roi}
     * @param inForce     the one frames are cropped to now
     * @param frameWidth  of the latest frame, null before the first
     */
    public record State(String camera, String line, CameraSettings.Roi configured, CameraSettings.Roi inForce,
            Integer frameWidth, Integer frameHeight) {
    }

    private final Appliance appliance;
    private final Store store;

    public CameraRois(Appliance appliance, Store store) {
        this.appliance = appliance;
        this.store = store;
    }

    /** @throws NoSuchElementException for an unknown camera */
    public State state(String camera) {
        Appliance.Camera c = camera(camera);
        Frame latest = c.worker().latestFrame();
        return new State(camera, c.settings().line(), c.settings().roi().orElse(null),
                c.worker().camera().roi().orElse(null), latest == null ? null : latest.image().width,
                latest == null ? null : latest.image().height);
    }

    /**
     * Crops the camera's frames to {@code roi} from the next frame on, and remembers it.
     *
     * @throws NoSuchElementException   for an unknown camera
     * @throws IllegalStateException    before the camera's first frame (there is no frame size to check against)
     * @throws IllegalArgumentException when the ROI does not lie inside the frame
     */
    public synchronized State change(String camera, CameraSettings.Roi roi, String who) {
        Appliance.Camera c = camera(camera);
        Frame latest = c.worker().latestFrame();
        if (latest == null) {
            throw new IllegalStateException("camera " + camera + " has delivered no frame yet, so the ROI cannot be"
                    + " checked against its frame size: try again once a frame has arrived");
        }
        FrameGeometry.of(c.worker().camera().withRoi(Optional.of(roi)), latest.image().width, latest.image().height);
        store.save(camera, roi, who);
        c.worker().changeRoi(Optional.of(roi));
        return state(camera);
    }

    /** Back to the site's configured ROI (or the whole frame), from the next frame on; the changed one is forgotten. */
    public synchronized State reset(String camera) {
        Appliance.Camera c = camera(camera);
        store.forget(camera);
        c.worker().changeRoi(c.settings().roi());
        return state(camera);
    }

    private Appliance.Camera camera(String id) {
        return appliance.camera(id).orElseThrow(() -> new NoSuchElementException("no camera '" + id
                + "' is configured"));
    }
}
