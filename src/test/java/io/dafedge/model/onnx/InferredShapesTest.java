package io.dafedge.model.onnx;

import static io.dafedge.model.onnx.TestModel.intAttr;
import static io.dafedge.model.onnx.TestModel.ints;
import static io.dafedge.model.onnx.TestModel.stringAttr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.dafedge.model.ModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Shape rules and MAC counts per op on small graphs, worked out by hand from the ONNX operator definitions. */
class InferredShapesTest {
    @Test
    void convolutionsWithStridesPadsDilationsAndGroups() throws Exception {
        InferredShapes s = infer(new TestModel().input("x", "N", 3, "H", "W")
                .weights("w0", 4, 3, 3, 3)
                .node("Conv", "x,w0", "a", ints("strides", 2, 2), ints("pads", 1, 1, 1, 1))
                .weights("dw", 4, 1, 3, 3)
                .node("Conv", "a,dw", "b", intAttr("group", 4), ints("dilations", 2, 2), ints("pads", 2, 2, 2, 2),
                        ints("kernel_shape", 3, 3))
                .weights("g", 6, 2, 1, 3).weights("bias", 6)
                .node("Conv", "b,g,bias", "c", intAttr("group", 2), ints("strides", 1, 2), ints("pads", 0, 1, 0, 0)),
                1, 3, 14, 18);
        // floor((14 + 2 - 3) / 2) + 1 = 7, floor((18 + 2 - 3) / 2) + 1 = 9
        assertArrayEquals(new long[] {1, 4, 7, 9}, s.shape("a"));
        assertArrayEquals(new long[] {1, 4, 7, 9}, s.shape("b"), "dilation 2 with pads 2 keeps the size");
        // h: 7 - 1 + 1 = 7; w: floor((9 + 1 - 3) / 2) + 1 = 4
        assertArrayEquals(new long[] {1, 6, 7, 4}, s.shape("c"));
        long macs = 4 * 7 * 9 * 27 + 4 * 7 * 9 * 9 + 6 * 7 * 4 * 6;
        assertEquals(macs, s.totalMacs());
    }

    @Test
    void autoPadding() throws Exception {
        InferredShapes s = infer(new TestModel().input("x", 1, 2, 7, 7).weights("w", 2, 2, 3, 3)
                .node("Conv", "x,w", "same", stringAttr("auto_pad", "SAME_UPPER"), ints("strides", 2, 2))
                .node("Conv", "x,w", "valid", stringAttr("auto_pad", "VALID"), ints("pads", 1, 1, 1, 1)),
                1, 2, 7, 7);
        assertArrayEquals(new long[] {1, 2, 4, 4}, s.shape("same"), "ceil(7 / 2)");
        assertArrayEquals(new long[] {1, 2, 5, 5}, s.shape("valid"), "VALID ignores pads");
    }

    @Test
    void poolingIncludingCeilMode() throws Exception {
        InferredShapes s = infer(new TestModel().input("x", 1, 64, 112, 112)
                .node("MaxPool", "x", "stem", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                        ints("pads", 1, 1, 1, 1))
                .node("MaxPool", "x", "floor", ints("kernel_shape", 2, 2), ints("strides", 3, 3))
                .node("MaxPool", "x", "ceil,indices", ints("kernel_shape", 2, 2), ints("strides", 3, 3),
                        intAttr("ceil_mode", 1))
                .node("AveragePool", "x", "avg", ints("kernel_shape", 5, 5))
                .node("GlobalAveragePool", "x", "gap"),
                1, 64, 112, 112);
        assertArrayEquals(new long[] {1, 64, 56, 56}, s.shape("stem"), "the ResNet stem pool");
        assertArrayEquals(new long[] {1, 64, 37, 37}, s.shape("floor"), "floor(110 / 3) + 1");
        assertArrayEquals(new long[] {1, 64, 38, 38}, s.shape("ceil"), "ceil(110 / 3) + 1");
        assertArrayEquals(s.shape("ceil"), s.shape("indices"));
        assertArrayEquals(new long[] {1, 64, 108, 108}, s.shape("avg"));
        assertArrayEquals(new long[] {1, 64, 1, 1}, s.shape("gap"));
        assertEquals(0, s.totalMacs(), "only convolutions count");

        // 5 + 2 pads, window 2, stride 2: ceil gives 4 windows, but the 4th would start in the right padding
        InferredShapes edge = infer(new TestModel().input("x", 1, 1, 5, 5).node("MaxPool", "x", "y",
                ints("kernel_shape", 2, 2), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), intAttr("ceil_mode", 1)),
                1, 1, 5, 5);
        assertArrayEquals(new long[] {1, 1, 3, 3}, edge.shape("y"));
    }

    @Test
    void elementwiseBroadcastAndNormalization() throws Exception {
        InferredShapes s = infer(new TestModel().input("x", 1, 4, 5, 5)
                .weights("bias", 4, 1, 1).weights("col", 3, 1).weights("row", 1, 4)
                .weights("scale", 4).weights("b", 4).weights("mean", 4).weights("var", 4)
                .weights("hi")
                .node("Add", "x,bias", "sum").node("Add", "col,row", "outer")
                .node("BatchNormalization", "sum,scale,b,mean,var", "bn")
                .node("Clip", "bn,,hi", "clipped").node("Relu", "clipped", "relu").node("Identity", "relu", "y"),
                1, 4, 5, 5);
        assertArrayEquals(new long[] {1, 4, 5, 5}, s.shape("sum"));
        assertArrayEquals(new long[] {3, 4}, s.shape("outer"));
        assertArrayEquals(new long[] {1, 4, 5, 5}, s.shape("y"));
        assertArrayEquals(new long[] {4, 1, 1}, s.shape("bias"), "initializers have their shapes too");
    }

    @Test
    void refusesWhatItDoesNotKnowOrWhatDoesNotFit() {
        refused(() -> infer(new TestModel().input("x", 1, 4).weights("w", 4, 4).node("Gemm", "x,w", "y"), 1, 4),
                "test.onnx: node 'n0' (Gemm): shape inference does not support op Gemm; it supports [Add, "
                        + "AveragePool, BatchNormalization, Clip, Conv, GlobalAveragePool, Identity, MaxPool, Relu]");
        Pb customRelu = new Pb().string(1, "x").string(2, "y").string(4, "Relu").string(7, "com.example");
        byte[] custom = new Pb().message(7, new Pb().message(11, TestModel.valueInfo("x", 1)).message(1, customRelu))
                .toBytes();
        refused(() -> InferredShapes.of(OnnxModel.read(custom, "custom.onnx").graph(), Map.of("x", new long[] {1})),
                "custom.onnx: node #0 (Relu): shape inference does not support op com.example:Relu");
        refused(() -> infer(new TestModel().input("x", 1, 4, 8, 8).weights("w", 8, 3, 3, 3).node("Conv", "x,w", "y"),
                1, 4, 8, 8), "input [1, 4, 8, 8] does not fit weights [8, 3, 3, 3] with group 1");
        refused(() -> infer(new TestModel().input("x", 1, 3, 2, 2).weights("w", 8, 3, 5, 5).node("Conv", "x,w", "y"),
                1, 3, 2, 2), "the window does not fit in input [1, 3, 2, 2]");
        refused(() -> infer(new TestModel().input("x", 2, 3).weights("y", 4).node("Add", "x,y", "z"), 2, 3),
                "cannot broadcast [2, 3] with [4]");
        refused(() -> infer(new TestModel().input("x", 1, 4, 2, 2).weights("s", 3)
                        .node("BatchNormalization", "x,s,s,s,s", "y,m,v"), 1, 4, 2, 2),
                "input 1 is [3], expected [4]");
        refused(() -> infer(new TestModel().input("x", 1, 4).weights("s", 4)
                        .node("BatchNormalization", "x,s,s,s,s", "y,m,v"), 1, 4),
                "shape inference knows only its first 1 output(s), it has 3");
        refused(() -> infer(new TestModel().input("x", 1, 3, "H", "W").node("Relu", "x", "y"), 1, 4, 8, 8),
                "input 'x' is declared [1, 3, H, W], it cannot take [1, 4, 8, 8]");
        refused(() -> infer(new TestModel().input("x", 1, 3, "H", "W").node("Relu", "x", "y"), 1, 3, 8),
                "cannot take [1, 3, 8]");
        refused(() -> InferredShapes.of(new TestModel().input("x", 1).read(), Map.of()),
                "no shape given for input 'x'");
        refused(() -> InferredShapes.of(new TestModel().input("x", 1).read(), Map.of("x", new long[] {1},
                "z", new long[] {1})), "'z' is not a data input of the graph");
    }

    @Test
    void refusesAnUnknownValueOrNodeAsACallerError() throws Exception {
        OnnxGraph g = new TestModel().input("x", 1).node("Relu", "x", "y").read();
        InferredShapes s = InferredShapes.of(g, Map.of("x", new long[] {1}));
        assertEquals(0, s.macs(g.nodes().get(0)));
        assertThrows(IllegalArgumentException.class, () -> s.shape("nope"));
        OnnxNode stranger = new TestModel().input("x", 1).node("Relu", "x", "y").read().nodes().get(0);
        assertThrows(IllegalArgumentException.class, () -> s.macs(stranger));
    }

    private static InferredShapes infer(TestModel model, long... inputShape) throws ModelException {
        return InferredShapes.of(model.read(), Map.of("x", inputShape));
    }

    private static void refused(Executable read, String message) {
        ModelException e = assertThrows(ModelException.class, read);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
