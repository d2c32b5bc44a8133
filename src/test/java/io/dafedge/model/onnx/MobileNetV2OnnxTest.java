package io.dafedge.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.dafedge.model.ModelException;
import io.dafedge.model.onnx.OnnxValueInfo.Dim;
import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared MobileNetV2 teacher files. Expected numbers were printed once with python3-onnx 1.12 (onnx.load,
 * onnx.numpy_helper.to_array, onnx.shape_inference.infer_shapes on a copy with the input dims fixed, and the conv MAC
 * formula summed over the Conv nodes the three feature outputs depend on); the tests do not need Python.
 */
class MobileNetV2OnnxTest {
    private static final List<String> FEATURES = List.of("339", "365", "426");

    static OnnxModel teacher;
    static Path models;

    @BeforeAll
    static void read() throws ModelException {
        Path shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
        models = shared.resolve("models");
        teacher = OnnxModel.read(models.resolve("mobilenetv2-float-from-int8_feat.onnx"));
    }

    @Test
    void readsTheFloatTeacher() throws Exception {
        assertEquals(7, teacher.irVersion());
        assertEquals(Map.of("", 12L), teacher.opsetVersions());
        assertEquals("dequant_onnx.py", teacher.producerName());
        OnnxGraph g = teacher.graph();
        assertEquals("torch-jit-export_float", g.name());
        assertEquals(136, g.nodes().size());
        assertEquals(240, g.initializers().size());
        assertEquals(Map.of("Add", 11, "Clip", 66, "Concat", 1, "Conv", 52, "Gather", 1, "GlobalAveragePool", 1,
                "MatMul", 1, "Reshape", 1, "Shape", 1, "Unsqueeze", 1), g.opHistogram());

        OnnxValueInfo input = g.inputs().get(0);
        assertEquals("input", input.name());
        assertEquals(DataType.FLOAT, input.elemType());
        assertEquals(List.of(Dim.symbolic("batch_size"), Dim.of(3), Dim.symbolic("H"), Dim.symbolic("W")),
                input.shape().orElseThrow());
        assertEquals(List.of("output", "339", "365", "426"), g.outputs().stream().map(OnnxValueInfo::name).toList());

        // node 0 clips the input to the quantiser's range; node 1 is the stem convolution
        OnnxNode stem = g.nodes().get(1);
        assertEquals("Conv_0_quant", stem.name());
        assertEquals(List.of("input_in", "475_f", "476_f"), stem.inputs());
        assertArrayEquals(new long[] {3, 3}, stem.intsAttr("kernel_shape", new long[0]));
        assertArrayEquals(new long[] {2, 2}, stem.intsAttr("strides", new long[0]));
        assertArrayEquals(new long[] {1, 1, 1, 1}, stem.intsAttr("pads", new long[0]));
        assertEquals(1, stem.intAttr("group", 0));
        assertEquals(32, g.nodes().get(3).intAttr("group", 0), "the first depthwise conv");

        OnnxTensor w = g.initializer("475_f").orElseThrow();
        assertEquals(DataType.FLOAT, w.dataType());
        assertArrayEquals(new long[] {32, 3, 3, 3}, w.dims());
        float[] values = w.floats();
        assertArrayEquals(new float[] {0.0019041920313611627f, -0.0006347306771203876f, 0.0021157690789550543f,
                0.00469700712710619f}, Arrays.copyOf(values, 4));
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        assertEquals(-0.9911762294564141, sum, 1e-9);
        assertArrayEquals(new float[] {-0.08599741756916046f, 0.560407817363739f, 0.3489391505718231f},
                Arrays.copyOf(g.initializer("476_f").orElseThrow().floats(), 3));
        assertArrayEquals(new float[] {-2.127063f}, g.initializer("clip1_lo").orElseThrow().floats());
        assertArrayEquals(new long[] {-1}, g.initializer("630").orElseThrow().longs());
        assertArrayEquals(new long[] {0}, g.initializer("466").orElseThrow().longs());
    }

    @Test
    void prunesTheClassifierHeadAway() throws Exception {
        OnnxGraph g = teacher.graph();
        OnnxGraph features = g.prunedTo(FEATURES);
        assertEquals(95, features.nodes().size());
        assertEquals(Map.of("Add", 8, "Clip", 48, "Conv", 39), features.opHistogram());
        assertEquals(174, features.initializers().size());
        assertEquals(List.of("input"), features.inputs().stream().map(OnnxValueInfo::name).toList());
        assertEquals(FEATURES, features.outputs().stream().map(OnnxValueInfo::name).toList());
        assertEquals(List.of(Dim.symbolic("N"), Dim.symbolic("C339"), Dim.symbolic("H339"), Dim.symbolic("W339")),
                features.outputs().get(0).shape().orElseThrow());
        assertEquals(94, features.producer("426").orElseThrow().index(), "the last node the features need");
        assertEquals(20, g.producer("339").orElseThrow().index());
        // features[3] ends in its residual Add, followed by a Clip to the quantiser's range of the sum
        assertEquals("Add", g.producer(g.producer("339").orElseThrow().inputs().get(0)).orElseThrow().opType());
        assertEquals(List.of(21), g.consumers("339").stream().map(OnnxNode::index).toList());
        assertEquals(List.of(95), g.consumers("426").stream().map(OnnxNode::index).toList());
        assertEquals(List.of(), features.consumers("426"), "what read it was pruned away");

        Set<String> available = new HashSet<>(features.initializers().keySet());
        available.add("input");
        for (OnnxNode n : features.nodes()) {
            for (String in : n.inputs()) {
                assertTrue(in.isEmpty() || available.contains(in), in + " is used before it is computed");
            }
            available.addAll(n.outputs());
        }
    }

    @Test
    void infersTheFeatureShapesAndCountsTheirMacs() throws Exception {
        OnnxGraph features = teacher.graph().prunedTo(FEATURES);
        InferredShapes at256 = InferredShapes.of(features, Map.of("input", new long[] {1, 3, 256, 256}));
        assertArrayEquals(new long[] {1, 24, 64, 64}, at256.shape("339"));
        assertArrayEquals(new long[] {1, 32, 32, 32}, at256.shape("365"));
        assertArrayEquals(new long[] {1, 96, 16, 16}, at256.shape("426"));
        // the DAF method notes' "about 274 M MAC" for this teacher at 256 x 256
        assertEquals(274_104_320L, at256.totalMacs());
        OnnxNode stem = features.producer("474_raw").orElseThrow();
        assertEquals(128L * 128 * 32 * 3 * 3 * 3, at256.macs(stem));

        InferredShapes odd = InferredShapes.of(features, Map.of("input", new long[] {1, 3, 200, 136}));
        assertArrayEquals(new long[] {1, 24, 50, 34}, odd.shape("339"));
        assertArrayEquals(new long[] {1, 32, 25, 17}, odd.shape("365"));
        assertArrayEquals(new long[] {1, 96, 13, 9}, odd.shape("426"));
        assertEquals(118_798_096L, odd.totalMacs());

        ModelException e = assertThrows(ModelException.class,
                () -> InferredShapes.of(teacher.graph(), Map.of("input", new long[] {1, 3, 256, 256})));
        assertTrue(e.getMessage().contains("does not support op Shape"), e.getMessage());
    }

    @Test
    void readsTheQuantisedClassifierThoughShapeInferenceRefusesIt() throws Exception {
        OnnxModel int8 = OnnxModel.read(models.resolve("mobilenetv2-12-int8.onnx"));
        assertEquals(7, int8.irVersion());
        assertEquals(1L, int8.opsetVersions().get("com.microsoft"));
        assertEquals(2L, int8.opsetVersions().get("ai.onnx.ml"));
        OnnxGraph g = int8.graph();
        assertEquals(73, g.nodes().size());
        assertEquals(348, g.initializers().size());
        assertEquals(52, g.opHistogram().get("QLinearConv"));
        assertEquals(11, g.opHistogram().get("QLinearAdd"));
        assertEquals("com.microsoft", g.nodes().stream().filter(n -> n.opType().equals("QLinearAdd")).findFirst()
                .orElseThrow().domain());
        assertEquals(List.of(Dim.symbolic("batch_size"), Dim.of(3), Dim.of(224), Dim.of(224)),
                g.inputs().get(0).shape().orElseThrow());

        OnnxTensor weights = g.initializer("475_quantized").orElseThrow();
        assertEquals(DataType.INT8, weights.dataType());
        assertArrayEquals(new long[] {32, 3, 3, 3}, weights.dims());
        assertArrayEquals(new long[] {45, -15, 50, 111, -86}, Arrays.copyOf(weights.longs(), 5));
        assertArrayEquals(new long[] {-108_921, 11_872, 7_344, 5_310, 178_080},
                Arrays.copyOf(g.initializer("476_quantized").orElseThrow().longs(), 5), "raw INT32");
        assertArrayEquals(new long[] {114}, g.initializer("input_zero_point").orElseThrow().longs(),
                "UINT8 in int32_data");
        assertArrayEquals(new long[32], g.initializer("475_zero_point").orElseThrow().longs(), "INT8 in int32_data");
        assertEquals(4.2315379687352106e-05f, g.initializer("475_scale").orElseThrow().floats()[0], "float_data");
        assertThrows(ModelException.class, weights::floats);

        ModelException e = assertThrows(ModelException.class,
                () -> InferredShapes.of(g, Map.of("input", new long[] {1, 3, 224, 224})));
        assertTrue(e.getMessage().contains("mobilenetv2-12-int8.onnx: node 'input_QuantizeLinear' (QuantizeLinear): "
                + "shape inference does not support op QuantizeLinear"), e.getMessage());
    }
}
