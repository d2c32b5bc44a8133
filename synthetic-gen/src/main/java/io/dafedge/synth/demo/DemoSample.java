package io.dafedge.synth.demo;

import java.util.Objects;

import io.dafedge.synth.Image;
import io.dafedge.synth.Mask;

/**
 * One picture from the demo line with its ground truth: {@code mask} marks the defect's pixels (empty for a good
 * part) and {@code defect} names its kind (null for a good part).
 */
public record DemoSample(Image image, Mask mask, DemoDefect defect) {
    public DemoSample {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(mask, "mask");
        if (mask.width != image.width || mask.height != image.height) {
            throw new IllegalArgumentException("mask " + mask.width + "x" + mask.height
                    + " does not match image " + image);
        }
    }

    public boolean isDefective() {
        return defect != null;
    }
}
