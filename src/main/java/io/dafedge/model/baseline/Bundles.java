package io.dafedge.model.baseline;

import java.util.Arrays;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.model.Detector;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.Npy;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;

/** Writing and reading the parts of a baseline bundle that PatchCore and PaDiM have in common. */
final class Bundles {
    /** Reads a method's arrays from a bundle into its scorer, once the embedding they belong to is known. */
    interface ScorerReader {
        BaselineDetector.Scorer read(ModelBundle bundle, Embedding embedding, int gridSide) throws ModelException;
    }

    private Bundles() {
    }

    /**
     * A builder with {@code config} (the embedding, the map and image score conventions) and {@code training}
     * filled in; the method adds its own configuration to {@code manifest().get("config")} and its arrays.
     */
    static ModelBundle.Builder builder(String method, OnnxTeacher teacher, Preprocessing pre, Embedding embedding,
                                       ObjectNode training) {
        ModelBundle.Builder b = ModelBundle.builder(method, pre, teacher);
        ObjectNode config = b.manifest().putObject("config");
        config.set("embedding", embedding.toJson());
        config.put("grid", embedding.gridSide(pre.size()));
        config.put("map", "grid scores upsampled bilinearly (align_corners=false) to the input size, Gaussian blur");
        config.put("blur_sigma", BaselineDetector.BLUR_SIGMA);
        config.put("image_score", "max of the map");
        b.manifest().set("training", training);
        return b;
    }

    /** Opens the bundle's teacher and builds the detector, refusing a bundle of another method or malformed content. */
    static Detector load(ModelBundle bundle, int threads, String method, ScorerReader reader) throws ModelException {
        if (!method.equals(bundle.method())) {
            throw new ModelException("bundle " + bundle.dir() + " holds a '" + bundle.method() + "' model, not '"
                    + method + "'");
        }
        Preprocessing pre = bundle.preprocessing();
        OnnxTeacher teacher = bundle.openTeacher(threads);
        try {
            Embedding embedding = Embedding.fromJson(bundle.manifest().path("config").path("embedding"),
                    teacher.channels(), bundle.dir());
            BaselineDetector.Scorer scorer = reader.read(bundle, embedding, embedding.gridSide(pre.size()));
            return new BaselineDetector(teacher, pre, embedding, scorer, threads);
        } catch (ModelException | RuntimeException e) {
            teacher.close();
            throw e;
        }
    }

    /** The named array, refused unless its shape is {@code shape} ({@code -1}: any positive length). */
    static Npy.Array array(ModelBundle bundle, String name, int... shape) throws ModelException {
        Npy.Array a = bundle.array(name);
        boolean ok = a.shape().length == shape.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = shape[i] < 0 ? a.shape()[i] > 0 : a.shape()[i] == shape[i];
        }
        if (!ok) {
            throw new ModelException("bundle " + bundle.dir() + ": " + name + ".npy has shape "
                    + Arrays.toString(a.shape()) + "; expected " + Arrays.toString(shape).replace("-1", "any")
                    + " for its configuration");
        }
        return a;
    }
}
