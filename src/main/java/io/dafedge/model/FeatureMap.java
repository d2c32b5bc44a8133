package io.dafedge.model;

/** One level of a feature pyramid for one image: {@code channels x height x width} floats, row-major (CHW). */
public record FeatureMap(int channels, int height, int width, float[] data) {
    public FeatureMap {
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException("feature data of " + data.length + " floats is not " + channels + "x"
                    + height + "x" + width);
        }
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }
}
