package io.dafedge.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.ModelException;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.djl.Djl;
import io.dafedge.model.djl.OnnxNetwork;
import io.dafedge.model.onnx.OnnxGraphBuilder;
import io.dafedge.model.onnx.OnnxValueInfo.Dim;
import io.dafedge.model.onnx.OnnxWriter;
import io.dafedge.prune.GradualPruning;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;

/**
 * Prunes the teacher backbone by feature distillation against the unpruned teacher on a site's good images: a
 * trainable copy starts from the teacher's weights, is pruned by the rule mapper on the gradual schedule while it
 * learns to give the original's three feature maps (mean squared error per level, each divided by the level's mean
 * square so that every level counts alike), and is written as a standard ONNX teacher file. DAF is then trained on
 * it as on any teacher ({@code train --teacher FILE}), so its student and decoder see the features the appliance
 * will compute; the compiled detector skips the teacher's pruned rows too.
 */
public final class TeacherPruner {
    /** Fine-tuning from pretrained weights: a tenth of DAF's learning rate from scratch. */
    public static final float LEARNING_RATE = 1e-4f;

    private TeacherPruner() {
    }

    public record Settings(int epochs, int batch, double sparsity, long seed) {
        public Settings {
            if (epochs < 1 || batch < 1 || !(sparsity > 0 && sparsity < 1)) {
                throw new IllegalArgumentException("needs epochs >= 1, batch >= 1 and sparsity in (0, 1)");
            }
        }
    }

    /** Writes the pruned teacher to {@code out} and returns the pruning summary (the manifest's form, with losses). */
    public static ObjectNode prune(Path teacherFile, Preprocessing pre, List<Path> files, Path out, Settings settings,
                                   int threads, Consumer<String> log) throws ModelException, IOException {
        int side = pre.size();
        List<float[]> tensors = new ArrayList<>();
        List<FeatureMap[]> targets = new ArrayList<>();
        try (OnnxTeacher teacher = OnnxTeacher.open(teacherFile, threads)) {
            for (Path file : files) {
                try {
                    float[] tensor = pre.tensor(pre.resized(ImageFiles.read(file)));
                    tensors.add(tensor);
                    targets.add(teacher.extract(tensor, side));
                } catch (ImageReadException e) {
                    log.accept("skipped " + e.getMessage());
                }
            }
        }
        int n = tensors.size();
        int batch = settings.batch();
        if (n < batch) {
            throw new ModelException("only " + n + " readable images; a batch needs " + batch);
        }
        log.accept(String.format(Locale.ROOT, "cached the teacher's features of %d good images", n));
        double[] levelScale = new double[3];
        for (FeatureMap[] t : targets) {
            for (int l = 0; l < 3; l++) {
                for (float v : t[l].data()) {
                    levelScale[l] += (double) v * v / t[l].data().length / n;
                }
            }
        }
        try (NDManager manager = Djl.newManager()) {
            OnnxNetwork copy = OnnxNetwork.trainableTeacher(teacherFile, manager);
            Map<String, Parameter> parameters = new LinkedHashMap<>();
            copy.getParameters().forEach(p -> parameters.put(p.getKey(), p.getValue()));
            GradualPruning pruning = GradualPruning.rule(parameters, name -> true, settings.sparsity());
            long stepsPerEpoch = n / batch;
            long total = stepsPerEpoch * settings.epochs();
            Tracker lr = update -> LEARNING_RATE;
            Optimizer optimizer = Optimizer.adam().optLearningRateTracker(lr).build();
            SplittableRandom random = new SplittableRandom(settings.seed());
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            double[] recent = new double[3];
            for (long step = 0; step < total; step++) {
                int inEpoch = (int) (step % stepsPerEpoch);
                if (inEpoch == 0) {
                    for (int i = n - 1; i > 0; i--) {
                        int j = random.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                }
                double[] losses = step(copy, optimizer, parameters, tensors, targets, order, inEpoch * batch, batch,
                        side, levelScale, manager);
                pruning.afterUpdate(parameters, (double) step / total);
                for (int l = 0; l < 3; l++) {
                    recent[l] = step == 0 ? losses[l] : 0.95 * recent[l] + 0.05 * losses[l];
                }
                if ((step + 1) % 20 == 0 || step + 1 == total) {
                    log.accept(String.format(Locale.ROOT, "step %d/%d  relative feature error %.4f %.4f %.4f",
                            step + 1, total, recent[0], recent[1], recent[2]));
                }
            }
            pruning.afterUpdate(parameters, 1);
            write(copy, out);
            ObjectNode summary = pruning.toJson(parameters);
            summary.put("distillation_epochs", settings.epochs());
            summary.putArray("relative_feature_error").add(recent[0]).add(recent[1]).add(recent[2]);
            return summary;
        }
    }

    private static double[] step(OnnxNetwork copy, Optimizer optimizer, Map<String, Parameter> parameters,
                                 List<float[]> tensors, List<FeatureMap[]> targets, int[] order, int first, int batch,
                                 int side, double[] levelScale, NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            int length = 3 * side * side;
            float[] x = new float[batch * length];
            List<NDArray> t = new ArrayList<>(3);
            for (int l = 0; l < 3; l++) {
                FeatureMap f = targets.get(0)[l];
                float[] level = new float[batch * f.data().length];
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(targets.get(order[first + b])[l].data(), 0, level, b * f.data().length,
                            f.data().length);
                }
                t.add(m.create(level, new Shape(batch, f.channels(), f.height(), f.width())));
            }
            for (int b = 0; b < batch; b++) {
                System.arraycopy(tensors.get(order[first + b]), 0, x, b * length, length);
            }
            double[] losses = new double[3];
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDList out = copy.forward(new ParameterStore(m, false),
                        new NDList(m.create(x, new Shape(batch, 3, side, side))), true);
                NDArray total = null;
                for (int l = 0; l < 3; l++) {
                    NDArray level = out.get(l).sub(t.get(l)).square().mean().div((float) (levelScale[l] + 1e-12));
                    losses[l] = level.getFloat();
                    total = total == null ? level : total.add(level);
                }
                gc.backward(total);
            }
            for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
                NDArray w = p.getValue().getArray();
                if (p.getValue().requiresGradient()) {
                    try (NDArray gradient = w.getGradient()) {
                        optimizer.update(p.getKey(), w, gradient);
                        gradient.subi(gradient);
                    }
                }
            }
            return losses;
        }
    }

    /** The pruned copy as a standard ONNX teacher file: input "input" [N, 3, H, W], the three feature maps out. */
    private static void write(OnnxNetwork copy, Path out) throws IOException {
        OnnxWriter w = new OnnxWriter("teacher-pruned", 17).producer("daf-edge", io.dafedge.Version.get());
        w.input("input", List.of(Dim.symbolic("N"), Dim.of(3), Dim.symbolic("H"), Dim.symbolic("W")));
        List<String> outputs = copy.export(new OnnxGraphBuilder(w), "input");
        Shape[] shapes = copy.getOutputShapes(new Shape[] {new Shape(1, 3, 64, 64)});
        for (int l = 0; l < outputs.size(); l++) {
            w.output(outputs.get(l), List.of(Dim.symbolic("N"), Dim.of(shapes[l].get(1)), Dim.symbolic("h" + l),
                    Dim.symbolic("w" + l)));
        }
        w.write(out);
    }
}
