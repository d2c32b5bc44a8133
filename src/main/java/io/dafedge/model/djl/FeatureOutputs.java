package io.dafedge.model.djl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.dafedge.model.ModelException;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.onnx.InferredShapes;
import io.dafedge.model.onnx.OnnxGraph;
import io.dafedge.model.onnx.OnnxValueInfo;
import io.dafedge.model.onnx.OnnxValueInfo.Dim;

/**
 * Finds a teacher file's feature pyramid the way {@link OnnxTeacher} does, but from the graph alone: the declared
 * 4-D outputs, ordered by the stride shape inference gives them on a probe input, which must be 4, 8 and 16.
 */
final class FeatureOutputs {
    private static final long PROBE_SIZE = 64;

    private FeatureOutputs() {
    }

    /** The names of the stride 4, 8 and 16 outputs, in that order. */
    static List<String> byStride(OnnxGraph graph) throws ModelException {
        List<String> fourD = new ArrayList<>();
        for (OnnxValueInfo out : graph.outputs()) {
            if (out.shape().map(List::size).orElse(0) == 4) {
                fourD.add(out.name());
            }
        }
        if (fourD.size() != OnnxTeacher.STRIDES.length) {
            throw new ModelException("graph '" + graph.name() + "' declares " + fourD.size()
                    + " 4-D outputs; expected 3 feature maps at strides 4, 8 and 16");
        }
        OnnxGraph features = graph.prunedTo(fourD);
        LayerTranslator.checkOps(features);
        OnnxValueInfo input = OnnxNetwork.onlyInput(features);
        long[] probe = probeShape(input);
        InferredShapes shapes = InferredShapes.of(features, Map.of(input.name(), probe));
        fourD.sort(Comparator.comparingLong(name -> -shapes.shape(name)[2]));
        for (int level = 0; level < fourD.size(); level++) {
            long[] s = shapes.shape(fourD.get(level));
            long stride = OnnxTeacher.STRIDES[level];
            if (s[2] * stride != probe[2] || s[3] * stride != probe[3]) {
                throw new ModelException("graph '" + graph.name() + "': output '" + fourD.get(level) + "' is " + s[2]
                        + "x" + s[3] + " for a " + probe[2] + "x" + probe[3] + " input; expected strides 4, 8 and 16");
            }
        }
        return fourD;
    }

    /** One image of the declared size where the file fixes it, else {@link #PROBE_SIZE} square. */
    private static long[] probeShape(OnnxValueInfo input) {
        long[] probe = {1, 3, PROBE_SIZE, PROBE_SIZE};
        List<Dim> dims = input.shape().orElse(List.of());
        for (int axis = 1; axis < Math.min(dims.size(), 4); axis++) {
            if (dims.get(axis).isKnown()) {
                probe[axis] = dims.get(axis).value();
            }
        }
        return probe;
    }
}
