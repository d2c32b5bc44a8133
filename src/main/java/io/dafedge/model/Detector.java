package io.dafedge.model;

import io.dafedge.synth.Image;

/**
 * What every model (DAF, PatchCore, PaDiM) offers to evaluation and to the appliance: an image in, an anomaly map at
 * the model's input size out. Implementations own native resources (the teacher session) and are closed after use.
 */
public interface Detector extends AutoCloseable {
    AnomalyMap score(Image image);

    /** The side of the square input the map is computed at. */
    int inputSize();

    @Override
    void close();
}
