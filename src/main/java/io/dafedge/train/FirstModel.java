package io.dafedge.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.dafedge.model.Detector;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.baseline.Padim;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.demo.DemoDefect;
import io.dafedge.synth.demo.DemoLine;
import io.dafedge.synth.demo.DemoProduct;

/**
 * The demo line's first model, made on the box at first start so that a fresh install shows real verdicts within
 * minutes: PaDiM (training-free, fitted in seconds) on good demo parts, its threshold chosen on held-out demo parts
 * with known defects. The demo camera's frames use seeds from 0 upwards; these parts use seeds far from them, so the
 * model never sees a frame it will be asked about.
 */
public final class FirstModel {
    /** 48 parts gave 25 % false alarms on the held-out parts at the chosen threshold, 160 gave 4 %. */
    public static final int TRAIN = 160;
    static final int HELD_OUT = 24;
    static final int SIDE = 256;
    private static final long SEED_BASE = 1L << 40;

    private FirstModel() {
    }

    /** The fitted bundle, its threshold and how that threshold split the held-out parts. */
    public record Result(ModelBundle bundle, Thresholds.Choice threshold) {
    }

    /**
     * @param work   a folder for the generated training images (created; left for inspection afterwards)
     * @param out    the new bundle's folder
     */
    public static Result fitDemo(Path teacherFile, Path work, Path out, Consumer<String> progress)
            throws IOException, ModelException {
        return fitDemo(teacherFile, work, out, TRAIN, progress);
    }

    /** With {@code parts} good parts to fit on (tests use fewer, for time). */
    public static Result fitDemo(Path teacherFile, Path work, Path out, int parts, Consumer<String> progress)
            throws IOException, ModelException {
        DemoLine line = new DemoLine(DemoProduct.FLANGE, SIDE, SIDE);
        Path good = work.resolve("train").resolve("good");
        Files.createDirectories(good);
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            Path f = good.resolve(String.format("%03d.png", i));
            ImageFiles.writePng(f, line.good(SEED_BASE + i));
            images.add(f);
        }
        progress.accept("fitting PaDiM on " + parts + " good demo parts");
        Preprocessing pre = Preprocessing.imagenet(SIDE);
        ModelBundle bundle;
        try (OnnxTeacher teacher = OnnxTeacher.open(teacherFile, 2)) {
            bundle = Padim.fit(teacher, pre, images, out, 0, progress);
        }
        progress.accept("choosing the threshold on " + 2 * HELD_OUT + " held-out demo parts");
        float[] goodScores = new float[HELD_OUT];
        float[] badScores = new float[HELD_OUT];
        DemoDefect[] kinds = DemoDefect.values();
        try (Detector detector = io.dafedge.model.Detectors.load(bundle, 2)) {
            for (int i = 0; i < HELD_OUT; i++) {
                long seed = SEED_BASE + parts + i;
                goodScores[i] = detector.score(line.good(seed)).score();
                badScores[i] = detector.score(line.defective(seed, kinds[i % kinds.length]).image()).score();
            }
        }
        return new Result(bundle, Thresholds.balanced(goodScores, badScores));
    }
}
