package io.dafedge.model;

/** A detector's output for one image: per-pixel anomaly scores at the model's input size and the image score. */
public record AnomalyMap(int width, int height, float[] values, float score) {
    public AnomalyMap {
        if (values.length != width * height) {
            throw new IllegalArgumentException("map of " + values.length + " values is not " + width + "x" + height);
        }
    }
}
