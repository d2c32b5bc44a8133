package io.dafedge.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dafedge.model.onnx.OnnxGraph;
import io.dafedge.model.onnx.TestModel;
import org.junit.jupiter.api.Test;

class StudentNormalisationTest {

    /** conv(w, b) -> BatchNormalization -> conv(w2, b2): the file already normalises the first conv, not the second. */
    private static OnnxGraph graph() throws Exception {
        return new TestModel().input("x", 2, 2, 5, 5)
                .weights("w", 3, 2, 3, 3).weights("b", 3)
                .weights("s", 3).weights("t", 3).weights("m", 3).weights("v", 3)
                .weights("w2", 2, 3, 1, 1).weights("b2", 2)
                .node("Conv", "x,w,b", "c", TestModel.ints("pads", 1, 1, 1, 1))
                .node("BatchNormalization", "c,s,t,m,v", "y")
                .node("Conv", "y,w2,b2", "z")
                .output("z", 2, 2, 5, 5)
                .read();
    }

    @Test
    void aStudentNormalisesEveryConvOnceAndDropsTheBiasesBnMakesRedundant() throws Exception {
        try (NDManager m = Djl.newManager()) {
            OnnxNetwork student = OnnxNetwork.student(graph(), List.of("z"), 3, m);
            Set<String> names = new TreeSet<>(student.getParameters().keys());
            assertEquals(new TreeSet<>(List.of("w", "b", "y.bn.gamma", "y.bn.beta", "y.bn.running_mean",
                    "y.bn.running_var", "w2", "w2.bn.gamma", "w2.bn.beta", "w2.bn.running_mean",
                    "w2.bn.running_var")), names);

            NDArray x = m.randomNormal(new Shape(2, 2, 5, 5));
            NDArray z = student.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
            // the last BN (scale 1, shift 0) in training: every channel has batch mean 0 and variance 1
            NDArray perChannel = z.transpose(1, 0, 2, 3).reshape(2, -1);
            float[] mean = perChannel.mean(new int[] {1}).toFloatArray();
            float[] variance = perChannel.sub(perChannel.mean(new int[] {1}, true)).square().mean(new int[] {1})
                    .toFloatArray();
            for (int c = 0; c < 2; c++) {
                assertEquals(0, mean[c], 1e-4, "channel " + c + " mean");
                assertEquals(1, variance[c], 1e-2, "channel " + c + " variance");
            }
            NDArray inference = student.features(x).singletonOrThrow();
            assertFalse(inference.allClose(z), "inference uses the running statistics");
        }
    }

    @Test
    void theTeacherKeepsTheFilesWeightsWithoutAddedNormalisation() throws Exception {
        try (NDManager m = Djl.newManager()) {
            OnnxNetwork teacher = OnnxNetwork.teacher(graph(), List.of("z"), m);
            assertEquals(new TreeSet<>(List.of("w", "b", "y/scale", "y/shift", "w2", "b2")),
                    new TreeSet<>(teacher.getParameters().keys()));
        }
    }
}
