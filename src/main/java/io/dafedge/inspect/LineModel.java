package io.dafedge.inspect;

import java.util.Objects;

import io.dafedge.model.Detector;

/**
 * The model a line is inspected with: its detector, the image score at which a part is NOK, and which model it is
 * (the bundle's id and its number on the line), so every result can say what judged it.
 */
public record LineModel(Detector detector, float threshold, String modelId, int modelVersion) {
    public LineModel {
        Objects.requireNonNull(detector);
        Objects.requireNonNull(modelId);
        if (modelVersion < 1) {
            throw new IllegalArgumentException("model versions count from 1, got " + modelVersion);
        }
        if (!Float.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a finite number, got " + threshold);
        }
    }
}
