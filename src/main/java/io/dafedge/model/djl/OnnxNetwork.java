package io.dafedge.model.djl;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.dafedge.kernels.ConvShape;
import io.dafedge.kernels.QuantConv1x1;
import io.dafedge.model.ModelException;
import io.dafedge.model.onnx.InferredShapes;
import io.dafedge.model.onnx.OnnxGraph;
import io.dafedge.model.onnx.OnnxGraphBuilder;
import io.dafedge.model.onnx.OnnxModel;
import io.dafedge.model.onnx.OnnxValueInfo;

/**
 * A DJL block that computes chosen outputs of an ONNX graph (a CNN backbone's feature part) from its NCHW image
 * input. Ops: Conv (2-D, any kernel, stride, pads, dilation, group), Clip, Relu, Add, MaxPool, BatchNormalization
 * (folded to a per-channel affine, see {@link AffineLayer}) and Identity; a graph with any other op is refused.
 *
 * <p>The conv weights and biases (and folded BN scale and shift) are DJL parameters named after their ONNX
 * initializers, so the same structure comes either as the {@link #teacher} (the file's weights, frozen; equal to ONNX
 * Runtime) or as a randomly initialised, trainable {@link #student} (see {@link StudentWeights} for its init and Clip
 * bounds). No op behaves differently in training, so the {@code training} flag of {@code forward} changes nothing.
 *
 * <p>Parameter arrays belong to the manager given to the factory and live as long as it. Intermediates of a forward
 * pass belong to the input's manager: create each step's input in a sub-manager and close it.
 */
public final class OnnxNetwork extends AbstractBlock {
    private final OnnxGraph graph;
    private final String input;
    private final List<Layer> layers;
    private final List<String> outputs;

    private OnnxNetwork(OnnxGraph graph, String input, List<Layer> layers, List<String> outputs) {
        this.graph = graph;
        this.input = input;
        this.layers = layers;
        this.outputs = outputs;
        for (Layer layer : layers) {
            layer.parameters().stream().filter(p -> !parameters.containsKey(p.getName())).forEach(this::addParameter);
        }
    }

    /** The teacher file's feature pyramid (strides 4, 8, 16, in that order) with the file's weights, frozen. */
    public static OnnxNetwork teacher(Path onnx, NDManager manager) throws ModelException {
        return fromFile(onnx, new TeacherWeights(), manager);
    }

    /** The teacher file's feature pyramid with the file's weights, trainable: the start of a pruned teacher. */
    public static OnnxNetwork trainableTeacher(Path onnx, NDManager manager) throws ModelException {
        return fromFile(onnx, new TeacherWeights(true), manager);
    }

    /** The same structure as {@link #teacher(Path, NDManager)}, randomly initialised from {@code seed}, trainable. */
    public static OnnxNetwork student(Path onnx, long seed, NDManager manager) throws ModelException {
        return fromFile(onnx, new StudentWeights(seed), manager);
    }

    /** {@code outputs} of {@code graph}, in the given order, with the graph's weights, frozen. */
    public static OnnxNetwork teacher(OnnxGraph graph, List<String> outputs, NDManager manager)
            throws ModelException {
        return build(graph, outputs, new TeacherWeights(), manager);
    }

    /** {@code outputs} of {@code graph}, in the given order, randomly initialised from {@code seed}, trainable. */
    public static OnnxNetwork student(OnnxGraph graph, List<String> outputs, long seed, NDManager manager)
            throws ModelException {
        return build(graph, outputs, new StudentWeights(seed), manager);
    }

    private static OnnxNetwork fromFile(Path onnx, Initialisation init, NDManager manager) throws ModelException {
        OnnxGraph graph = OnnxModel.read(onnx).graph();
        try {
            return build(graph, FeatureOutputs.byStride(graph), init, manager);
        } catch (ModelException e) {
            throw new ModelException(onnx + ": " + e.getMessage(), e);
        }
    }

    private static OnnxNetwork build(OnnxGraph graph, List<String> outputs, Initialisation init, NDManager manager)
            throws ModelException {
        if (outputs.isEmpty() || new LinkedHashSet<>(outputs).size() != outputs.size()) {
            throw new ModelException("outputs " + outputs + " must be distinct and at least one");
        }
        OnnxGraph pruned = graph.prunedTo(outputs);
        String input = onlyInput(pruned).name();
        return new OnnxNetwork(pruned, input, List.copyOf(new LayerTranslator(pruned, init, manager).translate()),
                List.copyOf(outputs));
    }

    static OnnxValueInfo onlyInput(OnnxGraph graph) throws ModelException {
        List<OnnxValueInfo> inputs = graph.dataInputs();
        if (inputs.size() != 1) {
            throw new ModelException("graph '" + graph.name() + "' needs " + inputs.size()
                    + " data inputs for the chosen outputs; expected one image input");
        }
        return inputs.get(0);
    }

    /** The graph's image input. */
    public String inputName() {
        return input;
    }

    /** The ONNX value names of the outputs, in the order {@code forward} returns them. */
    public List<String> outputNames() {
        return outputs;
    }

    /** The number of scalars over all parameters. */
    public long parameterCount() {
        return getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    /**
     * Appends the network to an ONNX graph as standard ops ({@link Layer#export}), holding the parameters' current
     * values: its values and weights are named in {@code g}'s scope, its image input is bound to the existing value
     * {@code image}. Returns the graph-wide names of the outputs, in {@link #outputNames} order.
     */
    public List<String> export(OnnxGraphBuilder g, String image) {
        OnnxGraphBuilder bound = g.withAlias(input, image);
        layers.forEach(layer -> layer.export(bound));
        return outputs.stream().map(bound::name).toList();
    }

    /**
     * A parameter's current values as an initializer of {@code g} named after it, added once however many nodes
     * share it; {@code dims} reshapes it, or it keeps its own shape when none are given.
     */
    public static String initializer(OnnxGraphBuilder g, Parameter p, long... dims) {
        String name = g.name(p.getName());
        if (g.writer().defines(name)) {
            return name;
        }
        NDArray a = p.getArray();
        return g.floats(p.getName(), dims.length == 0 ? a.getShape().getShape() : dims, a.toFloatArray());
    }

    /**
     * The network on the native kernels for images of {@code channels x height x width} (HWC), with the parameters'
     * current values; refuses a network with an op the kernels lack.
     */
    public CompiledNetwork compile(int channels, int height, int width, CompiledNetwork.ConvFactory factory)
            throws ModelException {
        return CompiledNetwork.compile(input, layers, outputs, channels, height, width, factory);
    }

    /**
     * As {@link #compile(int, int, int, CompiledNetwork.ConvFactory)}, saying whether MobileNetV2's blocks run fused
     * ({@link io.dafedge.kernels.ConvChain}; the same results to the bit) whatever the
     * {@link CompiledNetwork#FUSE_BLOCKS} property says.
     */
    public CompiledNetwork compile(int channels, int height, int width, CompiledNetwork.ConvFactory factory,
                                   boolean fuseBlocks) throws ModelException {
        return CompiledNetwork.compile(input, layers, outputs, channels, height, width, factory, fuseBlocks, null);
    }

    /**
     * As {@link #compile(int, int, int, CompiledNetwork.ConvFactory)}, with the fused blocks whose 1x1 convolutions
     * read clipped values in INT8 on {@code int8} ({@link io.dafedge.kernels.QuantChain}; a network converted
     * from int8 has such clips everywhere), the rest in float; blocks are fused whatever the property says.
     */
    public CompiledNetwork compile(int channels, int height, int width, CompiledNetwork.ConvFactory factory,
                                   QuantConv1x1.Path int8) throws ModelException {
        return CompiledNetwork.compile(input, layers, outputs, channels, height, width, factory, true, int8);
    }

    /** A convolution of the network: its weight's parameter name, its native shape and the input it sees. */
    public record Convolution(String weight, ConvShape shape, int height, int width) {
    }

    /** Every convolution, in order, for an image of {@code height x width}. */
    public List<Convolution> convolutions(int height, int width) throws ModelException {
        InferredShapes shapes = InferredShapes.of(graph, Map.of(input, new long[] {1, 3, height, width}));
        List<Convolution> out = new java.util.ArrayList<>();
        for (Layer layer : layers) {
            if (layer instanceof ConvLayer c) {
                long[] in = shapes.shape(c.input());
                out.add(new Convolution(c.weight().getName(), CompiledNetwork.shape(c, (int) in[2], (int) in[3]),
                        (int) in[2], (int) in[3]));
            }
        }
        return out;
    }

    /** Inference: the outputs for an NCHW batch, computed under the batch's manager. */
    public NDList features(NDArray batch) {
        return forward(new ParameterStore(batch.getManager(), false), new NDList(batch), false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        Function<Parameter, NDArray> values = p -> store.getValue(p, device, training);
        Map<String, NDArray> computed = new HashMap<>();
        computed.put(input, x);
        for (Layer layer : layers) {
            List<NDArray> in = layer.inputs().stream().map(computed::get).toList();
            computed.put(layer.output(), layer.apply(in, values));
        }
        NDList out = new NDList(outputs.size());
        outputs.forEach(name -> out.add(computed.get(name)));
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        try {
            InferredShapes shapes = InferredShapes.of(graph, Map.of(input, inputShapes[0].getShape()));
            return outputs.stream().map(name -> new Shape(shapes.shape(name))).toArray(Shape[]::new);
        } catch (ModelException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
