package io.dafedge.ingest;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import io.dafedge.synth.Image;

/**
 * One camera frame on its way to inspection. The result id is assigned on arrival, so a caller can be told where its
 * result will appear before the frame is inspected; {@code arrivedNanos} (System.nanoTime) times the whole path.
 *
 * @param origin   where the frame came from, for logs and errors (file name, stream URL, "upload")
 * @param partId   the part the frame shows, when the source knows it; may be null
 * @param outcome  told once what became of the frame (the hot folder moves its file by it)
 * @param reinspectionOf the result id of the frame this one inspects again (an MES's reinspect command); null for a
 *                       frame from the camera
 */
public record Frame(UUID resultId, String camera, String partId, Instant capturedAt, long arrivedNanos, Image image,
        String origin, FrameOutcome outcome, UUID reinspectionOf) {
    public Frame {
        Objects.requireNonNull(resultId);
        Objects.requireNonNull(camera);
        Objects.requireNonNull(capturedAt);
        Objects.requireNonNull(image);
        Objects.requireNonNull(origin);
        Objects.requireNonNull(outcome);
    }

    /** A frame from the camera (no reinspection). */
    public Frame(UUID resultId, String camera, String partId, Instant capturedAt, long arrivedNanos, Image image,
            String origin, FrameOutcome outcome) {
        this(resultId, camera, partId, capturedAt, arrivedNanos, image, origin, outcome, null);
    }

    /** A frame that has just arrived, with a fresh result id. */
    public static Frame arrived(String camera, String partId, Image image, String origin, FrameOutcome outcome) {
        return new Frame(UUID.randomUUID(), camera, partId, Instant.now(), System.nanoTime(), image, origin, outcome);
    }

    /** The same picture to be inspected again, as a new result naming this one; it keeps the part and capture time. */
    public Frame reinspection(FrameOutcome outcome) {
        return new Frame(UUID.randomUUID(), camera, partId, capturedAt, System.nanoTime(), image,
                "reinspection of " + resultId, outcome, reinspectionOf != null ? reinspectionOf : resultId);
    }

    public Frame withPartId(String id) {
        return new Frame(resultId, camera, id, capturedAt, arrivedNanos, image, origin, outcome, reinspectionOf);
    }
}
