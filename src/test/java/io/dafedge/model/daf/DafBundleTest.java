package io.dafedge.model.daf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.kernels.Packing;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.model.Detectors;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.djl.Djl;
import io.dafedge.synth.Image;
import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A DAF bundle gives back the network it was written from, and the detector scores with it. */
class DafBundleTest {
    @TempDir
    Path tmp;
    Path teacherFile;

    @BeforeEach
    void teacher() {
        teacherFile = TestImages.teacher();
    }

    @Test
    void writtenNetworkLoadsWithEqualWeightsAndTheDetectorScoresAsTheNetworkDoes() throws Exception {
        Preprocessing pre = Preprocessing.imagenet(128);
        Image image = TestImages.surface(150, 110, 3, 5);
        Path dir = tmp.resolve("bundle");
        try (NDManager m = Djl.newManager(); OnnxTeacher teacher = OnnxTeacher.open(teacherFile, 1)) {
            DafNetwork net = DafNetwork.create(teacherFile, Normalisation.MAX_ABS, 7, m);
            ObjectNode training = ModelBundle.JSON.createObjectNode().put("steps", 0);
            ModelBundle bundle = DafBundle.write(net, teacher, pre, training, schedule(), dir);
            assertEquals("daf", ModelBundle.open(dir).method());
            assertEquals("MAX_ABS", bundle.manifest().path("config").path("normalisation").asText());

            DafNetwork loaded = DafBundle.load(ModelBundle.open(dir), m);
            assertEquals(net.parameters().keySet(), loaded.parameters().keySet());
            net.parameters().forEach((name, p) -> assertArrayEquals(p.getArray().toFloatArray(),
                    loaded.parameters().get(name).getArray().toFloatArray(), name));
            assertTrue(loaded.parameters().values().stream().noneMatch(p -> p.requiresGradient()), "frozen");

            float[] tensor = pre.tensor(image);
            FeatureMap[] t = teacher.extract(tensor, 128);
            DafNetwork.Output out = net.forward(m.create(tensor, new Shape(1, 3, 128, 128)),
                    DafDetector.arrays(t, m), false);
            List<FeatureMap> d = out.discrepancies().stream().map(a -> TestArrays.sample(a, 0)).toList();
            AnomalyMap expected = DafScoring.score(d, out.segmentation().toFloatArray(), 128, 128);
            // the compiled detector in float computes the network's map
            try (Detector detector = CompiledDafDetector.load(ModelBundle.open(dir), 1, Packing.DENSE)) {
                AnomalyMap map = detector.score(image);
                assertEquals(128, map.width());
                assertArrayEquals(expected.values(), map.values(), 1e-4f);
                assertEquals(expected.score(), map.score(), 1e-4);
            }
            // the detector the appliance opens: the teacher's blocks in INT8 where the CPU has VNNI, which rounds
            // the teacher's activations to the zoo's int8 grid (docs/kernels.md): close, not equal
            try (Detector detector = Detectors.load(ModelBundle.open(dir), 1)) {
                AnomalyMap map = detector.score(image);
                double diff = 0;
                double norm = 0;
                for (int i = 0; i < map.values().length; i++) {
                    diff += Math.pow(map.values()[i] - expected.values()[i], 2);
                    norm += Math.pow(expected.values()[i], 2);
                }
                assertTrue(Math.sqrt(diff / norm) < 0.02, "map relative L2 " + Math.sqrt(diff / norm));
                assertEquals(expected.score(), map.score(), 0.01 * Math.abs(expected.score()));
            }
        }
    }

    @Test
    void refusesABundleWhoseParametersDoNotMatchItsNetwork() throws Exception {
        Path dir = tmp.resolve("bundle");
        try (NDManager m = Djl.newManager(); OnnxTeacher teacher = OnnxTeacher.open(teacherFile, 1)) {
            DafBundle.write(DafNetwork.create(teacherFile, Normalisation.MIN_MAX, 1, m), teacher,
                    Preprocessing.imagenet(128), ModelBundle.JSON.createObjectNode(), schedule(), dir);
        }
        Path manifest = dir.resolve(ModelBundle.MANIFEST);
        String json = Files.readString(manifest);
        Files.writeString(manifest, json.replace("\"fusion.weight\"", "\"fusion.renamed\""));
        try (NDManager m = Djl.newManager()) {
            ModelException e = assertThrows(ModelException.class, () -> DafBundle.load(ModelBundle.open(dir), m));
            assertTrue(e.getMessage().contains("fusion.renamed") && e.getMessage().contains(dir.toString()),
                    e.getMessage());
        }
        Files.writeString(manifest, json.replace("\"method\" : \"daf\"", "\"method\" : \"padim\""));
        try (NDManager m = Djl.newManager()) {
            assertFalse(assertThrows(ModelException.class, () -> DafBundle.load(ModelBundle.open(dir), m))
                    .getMessage().isEmpty());
        }
    }

    private static ObjectNode schedule() {
        return ModelBundle.JSON.createObjectNode().put("optimizer", "AdamW");
    }
}
