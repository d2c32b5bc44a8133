package io.dafedge.model.baseline;

import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.model.Maps;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.synth.Image;

/**
 * The scoring both baselines share: embed the image, score each grid position (the method's part), upsample the
 * grid bilinearly to the input size, smooth with a Gaussian of sigma 4 as both papers do, and take the map's
 * maximum as the image score. Owns the teacher and its threads.
 */
final class BaselineDetector implements Detector {
    static final double BLUR_SIGMA = 4;

    /** A method's anomaly score for each grid position of a {@code positions x dim} embedding. */
    interface Scorer {
        float[] score(float[] embedding, Parallel par);
    }

    private final OnnxTeacher teacher;
    private final Preprocessing pre;
    private final Embedding embedding;
    private final Scorer scorer;
    private final Parallel par;

    BaselineDetector(OnnxTeacher teacher, Preprocessing pre, Embedding embedding, Scorer scorer, int threads) {
        this.teacher = teacher;
        this.pre = pre;
        this.embedding = embedding;
        this.scorer = scorer;
        this.par = new Parallel(threads);
    }

    @Override
    public AnomalyMap score(Image image) {
        int size = pre.size();
        int side = embedding.gridSide(size);
        float[] grid = scorer.score(embedding.embed(teacher, pre, image), par);
        float[] map = Maps.gaussianBlur(Maps.resize(grid, side, side, size, size), size, size, BLUR_SIGMA);
        return new AnomalyMap(size, size, map, Maps.max(map));
    }

    @Override
    public int inputSize() {
        return pre.size();
    }

    @Override
    public void close() {
        par.close();
        teacher.close();
    }
}
