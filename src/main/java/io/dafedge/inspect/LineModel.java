package io.dafedge.inspect;

import java.util.Objects;

import io.dafedge.model.Detector;

/** The model a line is inspected with: its detector and the image score at which a part is NOK. */
public record LineModel(Detector detector, float threshold) {
    public LineModel {
        Objects.requireNonNull(detector);
        if (!Float.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a finite number, got " + threshold);
        }
    }
}
