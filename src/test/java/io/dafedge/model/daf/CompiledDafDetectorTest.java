package io.dafedge.model.daf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.kernels.Packing;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.model.Detectors;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.djl.Djl;
import io.dafedge.prune.GradualPruning;
import io.dafedge.synth.Image;
import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole DAF inference on the native kernels against {@link DafDetector} (teacher in ONNX Runtime, the rest in
 * DJL) on the same bundle: batch-norm statistics drawn away from their defaults so that folding them is tested,
 * dense and pruned weights, two input sizes.
 */
class CompiledDafDetectorTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;
    Path teacherFile;

    @BeforeEach
    void teacher() {
        teacherFile = TestImages.teacher();
    }

    @Test
    void aDenseBundleScoresAsDjlDoesAtTwoSizes() throws Exception {
        for (int side : new int[] {256, 96}) {
            ModelBundle bundle = bundle(side, Normalisation.MIN_MAX, 0, "dense" + side);
            Image image = TestImages.surface(300, 220, 3, 11);
            try (Detector djl = DafDetector.load(bundle, 2);
                 CompiledDafDetector compiled = CompiledDafDetector.load(bundle, 2, Packing.DENSE)) {
                assertSameMap(djl.score(image), compiled.score(image), "side " + side);
                long[] macs = compiled.macs();
                assertEquals(macs[0], macs[1], "dense packing performs every MAC");
            }
        }
    }

    @Test
    void aPrunedBundleScoresAsDjlDoesAndSkipsThePrunedRows() throws Exception {
        ModelBundle bundle = bundle(256, Normalisation.MAX, 0.6, "pruned");
        assertEquals(Packing.SPARSE, Detectors.packingOf(bundle));
        Image image = TestImages.surface(256, 256, 3, 12);
        try (Detector djl = DafDetector.load(bundle, 2);
             CompiledDafDetector sparse = CompiledDafDetector.load(bundle, 2, Packing.SPARSE);
             CompiledDafDetector dense = CompiledDafDetector.load(bundle, 1, Packing.DENSE)) {
            AnomalyMap expected = djl.score(image);
            assertSameMap(expected, sparse.score(image), "sparse");
            assertSameMap(expected, dense.score(image), "dense packing of the same weights");
            long[] macs = sparse.macs();
            assertTrue(macs[1] < 0.8 * macs[0], "executed " + macs[1] + " of " + macs[0] + " MACs");
        }
    }

    /** Kernels generated for the pruned bundle (where a cache folder is given): the same map to the bit. */
    @Test
    void aPrunedBundleOnGeneratedKernelsScoresAsOnTheGenericOnes(@TempDir Path cache) throws Exception {
        ModelBundle bundle = bundle(96, Normalisation.MAX, 0.6, "generated");
        Image image = TestImages.surface(96, 96, 3, 13);
        try (CompiledDafDetector generic = CompiledDafDetector.load(bundle, 2, Packing.SPARSE, true, null);
             CompiledDafDetector generated = CompiledDafDetector.load(bundle, 2, Packing.SPARSE, true, cache)) {
            assertNull(generic.generated());
            assertTrue(generated.generated() != null && generated.generated().attached() > 10,
                    "generated: " + generated.generated());
            assertArrayEquals(generic.score(image).values(), generated.score(image).values());
        }
    }

    @Test
    void theApplianceOpensTheCompiledDetectorForDaf() throws Exception {
        ModelBundle bundle = bundle(96, Normalisation.MAX_ABS, 0, "appliance");
        assertEquals(Packing.DENSE, Detectors.packingOf(bundle));
        try (Detector d = Detectors.load(bundle, 1)) {
            assertInstanceOf(CompiledDafDetector.class, d);
        }
    }

    private static void assertSameMap(AnomalyMap expected, AnomalyMap actual, String what) {
        assertEquals(expected.width(), actual.width());
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.values().length; i++) {
            double d = expected.values()[i] - actual.values()[i];
            diff += d * d;
            norm += (double) expected.values()[i] * expected.values()[i];
        }
        double error = Math.sqrt(diff / norm);
        assertTrue(error <= TOLERANCE, what + ": relative L2 error of the map " + error);
        assertEquals(expected.score(), actual.score(), TOLERANCE * Math.abs(expected.score()), what + ": score");
    }

    /** A fresh network with BN statistics and scales drawn away from 1 and 0, pruned to {@code sparsity}. */
    private ModelBundle bundle(int side, Normalisation normalisation, double sparsity, String name)
            throws Exception {
        try (NDManager m = Djl.newManager(); OnnxTeacher teacher = OnnxTeacher.open(teacherFile, 1)) {
            DafNetwork net = DafNetwork.create(teacherFile, normalisation, 3, m);
            Map<String, Parameter> params = net.parameters();
            params.forEach((key, p) -> {
                NDArray a = p.getArray();
                if (key.endsWith("running_var") || key.endsWith("gamma")) {
                    a.muli(m.randomUniform(0.5f, 2f, a.getShape()));
                } else if (key.endsWith("running_mean") || key.endsWith("beta")) {
                    a.addi(m.randomNormal(0, 0.3f, a.getShape(), a.getDataType()));
                }
            });
            ObjectNode training = ModelBundle.JSON.createObjectNode().put("steps", 0);
            if (sparsity > 0) {
                GradualPruning pruning = GradualPruning.rule(params, k -> !k.startsWith("boost"), sparsity);
                pruning.afterUpdate(params, 1);
                training.set("pruning", pruning.toJson(params));
            }
            net.freeze();
            return DafBundle.write(net, teacher, Preprocessing.imagenet(side), training,
                    ModelBundle.JSON.createObjectNode(), tmp.resolve(name));
        }
    }
}
