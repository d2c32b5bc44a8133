package io.dafedge.inspect;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The inspection of one frame, as the result sinks receive it. With verdict UNKNOWN (no model for the line) nothing
 * was judged: score, threshold and overlay are null and there are no regions.
 *
 * @param partId         as the frame's source gave it; may be null
 * @param score          the detector's image score; null when UNKNOWN
 * @param threshold      the line's threshold the score was judged against; null when UNKNOWN
 * @param modelId        the bundle that judged the frame; null when UNKNOWN
 * @param modelVersion   that model's number on its line; null when UNKNOWN
 * @param regions        defect regions, strongest first, in original frame coordinates; empty when UNKNOWN
 * @param omittedRegions regions found beyond those listed
 * @param overlayPng     heat map over the inspected image at the map's size, regions boxed; null when UNKNOWN
 * @param thumbnailPng   the inspected image (after ROI and rotation), shrunk for storage; null when the verdict's
 *                       pictures are not kept
 * @param preprocessMs   ROI crop and rotation
 * @param detectMs       the detector, including its own resize and normalisation; 0 when UNKNOWN
 * @param postprocessMs  regions, overlay and thumbnail, PNG encoding included
 * @param reinspectionOf the result id of the frame this one inspected again; null for a frame from the camera
 */
public record InspectionResult(UUID resultId, String camera, String line, String partId, Instant capturedAt,
        Instant inspectedAt, Verdict verdict, Float score, Float threshold, String modelId, Integer modelVersion,
        List<DefectRegion> regions,
        int omittedRegions, byte[] overlayPng, byte[] thumbnailPng, double preprocessMs, double detectMs,
        double postprocessMs, UUID reinspectionOf) {
    public InspectionResult {
        regions = List.copyOf(regions);
    }

    /** The result of a frame from the camera (no reinspection). */
    public InspectionResult(UUID resultId, String camera, String line, String partId, Instant capturedAt,
            Instant inspectedAt, Verdict verdict, Float score, Float threshold, String modelId, Integer modelVersion,
            List<DefectRegion> regions, int omittedRegions, byte[] overlayPng, byte[] thumbnailPng, double preprocessMs,
            double detectMs, double postprocessMs) {
        this(resultId, camera, line, partId, capturedAt, inspectedAt, verdict, score, threshold, modelId, modelVersion,
                regions, omittedRegions, overlayPng, thumbnailPng, preprocessMs, detectMs, postprocessMs, null);
    }

    /** Time spent on the frame by the inspection thread; the rest of its time since arrival it waited. */
    public double workMs() {
        return preprocessMs + detectMs + postprocessMs;
    }
}
