package io.dafedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.onnx.OnnxGraph;
import io.dafedge.model.onnx.OnnxModel;
import io.dafedge.model.onnx.OnnxTensor;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pruned teacher is a usable teacher file, pruned as its summary says, and close to the original's features. */
class TeacherPrunerTest {
    @TempDir
    Path tmp;

    @Test
    void writesAPrunedTeacherOnnxRuntimeOpensAndOurReaderSeesPruned() throws Exception {
        Path shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
        Path teacherFile = TestImages.teacher();
        List<Path> images = MvtecCategory.trainImages(shared.resolve("datasets/magnetic-tile")).subList(0, 16);
        Path out = tmp.resolve("pruned.onnx");
        Preprocessing pre = Preprocessing.imagenet(64);
        List<String> log = new ArrayList<>();
        ObjectNode summary = TeacherPruner.prune(teacherFile, pre, images, out,
                new TeacherPruner.Settings(2, 8, 0.5, 1), 2, log::add);

        assertEquals("rule", summary.get("mapper").asText());
        double sparsity = summary.get("sparsity").asDouble();
        assertTrue(sparsity > 0.3 && sparsity < 0.6, "sparsity of the pruned layers " + sparsity);
        for (JsonNode e : summary.get("relative_feature_error")) {
            assertTrue(Double.isFinite(e.asDouble()), "feature error " + e);
        }
        // the written file holds the zeros: count them in its convolution weights
        OnnxGraph graph = OnnxModel.read(out).graph();
        long zeros = 0;
        long weights = 0;
        for (OnnxTensor t : graph.initializers().values()) {
            if (t.dims().length == 4) {
                for (float v : t.floats()) {
                    zeros += v == 0f ? 1 : 0;
                }
                weights += t.floats().length;
            }
        }
        assertTrue(zeros > 0.2 * weights, zeros + " zeros of " + weights + " weights");
        try (OnnxTeacher pruned = OnnxTeacher.open(out, 1); OnnxTeacher original = OnnxTeacher.open(teacherFile, 1)) {
            float[] tensor = pre.tensor(pre.resized(ImageFiles.read(images.get(0))));
            FeatureMap[] a = pruned.extract(tensor, 64);
            FeatureMap[] b = original.extract(tensor, 64);
            for (int l = 0; l < 3; l++) {
                assertEquals(b[l].channels(), a[l].channels());
                assertEquals(b[l].height(), a[l].height());
            }
        }
    }
}
