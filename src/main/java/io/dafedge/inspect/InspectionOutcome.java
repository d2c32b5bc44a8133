package io.dafedge.inspect;

/**
 * What post-processing makes of one detector map.
 *
 * @param verdict    NOK iff {@code score >= threshold}, otherwise OK
 * @param overlayPng the inspected image at the map's size with the heat map over it and the regions boxed
 */
public record InspectionOutcome(Verdict verdict, float score, float threshold, Regions regions, byte[] overlayPng) {
}
