package io.dafedge.model.daf;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.djl.Djl;
import io.dafedge.model.djl.OnnxNetwork;
import io.dafedge.synth.Image;

/**
 * A trained DAF model: the teacher in ONNX Runtime (about 2x faster than the same graph in DJL here), the student,
 * decoder and heads in DJL, scored by {@link DafScoring}; or, from {@link #loadInDjl}, the teacher in DJL too, the
 * benchmark's all-DJL row. Safe to call from one thread at a time per image; the
 * teacher's session and DJL's inference are thread-safe, so several threads may score at once.
 */
public final class DafDetector implements Detector {
    private final OnnxTeacher teacher;
    private final OnnxNetwork djlTeacher;
    private final Preprocessing pre;
    private final NDManager manager;
    private final DafNetwork network;

    private DafDetector(OnnxTeacher teacher, OnnxNetwork djlTeacher, Preprocessing pre, NDManager manager,
                        DafNetwork network) {
        this.teacher = teacher;
        this.djlTeacher = djlTeacher;
        this.pre = pre;
        this.manager = manager;
        this.network = network;
    }

    public static DafDetector load(ModelBundle bundle, int threads) throws ModelException {
        NDManager manager = Djl.newManager();
        OnnxTeacher teacher = null;
        try {
            DafNetwork network = DafBundle.load(bundle, manager);
            teacher = bundle.openTeacher(threads);
            return new DafDetector(teacher, null, bundle.preprocessing(), manager, network);
        } catch (ModelException | RuntimeException e) {
            if (teacher != null) {
                teacher.close();
            }
            manager.close();
            throw e;
        }
    }

    /** Everything in DJL (libtorch), the teacher included; DJL's threads are set process-wide ({@link Djl}). */
    public static DafDetector loadInDjl(ModelBundle bundle) throws ModelException {
        NDManager manager = Djl.newManager();
        try {
            DafNetwork network = DafBundle.load(bundle, manager);
            OnnxNetwork teacher = OnnxNetwork.teacher(bundle.teacherFile(), manager);
            return new DafDetector(null, teacher, bundle.preprocessing(), manager, network);
        } catch (ModelException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public AnomalyMap score(Image image) {
        int size = pre.size();
        float[] tensor = pre.tensor(image);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(tensor, new Shape(1, 3, size, size));
            List<NDArray> t = djlTeacher != null ? djlTeacher.features(x)
                    : arrays(teacher.extract(tensor, size), m);
            return map(network.forward(x, t, false));
        }
    }

    /** One image's teacher features as {@code (1, C, H, W)} arrays of {@code m}. */
    static List<NDArray> arrays(FeatureMap[] features, NDManager m) {
        List<NDArray> out = new ArrayList<>(features.length);
        for (FeatureMap f : features) {
            out.add(m.create(f.data(), new Shape(1, f.channels(), f.height(), f.width())));
        }
        return out;
    }

    /** The anomaly map of a one-image output: its arrays copied out and scored in plain Java. */
    static AnomalyMap map(DafNetwork.Output out) {
        Shape b = out.segmentation().getShape();
        List<FeatureMap> d = new ArrayList<>(3);
        for (NDArray level : out.discrepancies()) {
            Shape s = level.getShape();
            d.add(new FeatureMap((int) s.get(1), (int) s.get(2), (int) s.get(3), level.toFloatArray()));
        }
        return DafScoring.score(d, out.segmentation().toFloatArray(), (int) b.get(3), (int) b.get(2));
    }

    @Override
    public int inputSize() {
        return pre.size();
    }

    @Override
    public void close() {
        if (teacher != null) {
            teacher.close();
        }
        manager.close();
    }
}
