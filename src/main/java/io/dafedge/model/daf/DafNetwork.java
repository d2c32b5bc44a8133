package io.dafedge.model.daf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.dafedge.kernels.Activation;
import io.dafedge.model.ModelException;
import io.dafedge.model.djl.CompiledNetwork;
import io.dafedge.prune.SearchMapper;
import io.dafedge.model.djl.OnnxNetwork;
import io.dafedge.model.onnx.OnnxGraphBuilder;
import io.dafedge.model.onnx.OnnxWriter.Attribute;

/**
 * DAF's trained part: the student (the teacher's structure, randomly initialised), the fusion of the three
 * discrepancy maps, the U-Net-like decoder that draws the segmentation map B, and one boost head per level. Widths
 * follow the teacher's channels {@code c1, c2, c3} (strides 4, 8, 16) the way the reference's follow ResNet-18's
 * 64, 128, 256:
 * <ul>
 * <li>fusion: {@code D1} tiled to {@code c3} channels, {@code D2} nearest-upsampled x2 and tiled, {@code D3}
 *     nearest-upsampled x4, summed at stride 4, then 1x1 conv {@code c3 -> c3} + BN + ReLU;</li>
 * <li>decoder: fused map bilinearly resized to stride 16, concat {@code S3}, up x2, 3x3 conv to {@code c3};
 *     concat {@code S2}, transposed conv k2 s2 to {@code c2}; concat {@code S1}, up x2, 1x1 conv to {@code c1}; each
 *     with BN + ReLU; up x2, 1x1 conv to 1, sigmoid;</li>
 * <li>boost head {@code l}: 3x3 conv {@code c_l -> c_l / 4} + BN + ReLU, 1x1 conv to 1, sigmoid.</li>
 * </ul>
 * The transposed convolution (which DJL's PyTorch engine lacks) is computed exactly: with kernel 2 and stride 2 each
 * input pixel writes its own 2x2 output block, so it is a 1x1 conv to {@code 4 c2} channels followed by a
 * depth-to-space rearrangement. Tiling where {@code c3} is not a multiple of {@code c_l} repeats the channels and
 * cuts at {@code c3}. All upsampling to a stride is from the input side {@code H}, which must be a multiple of 16.
 */
public final class DafNetwork {
    /** The smallest input side: SSIM's reflect padding needs a stride-16 map of at least 6 x 6. */
    public static final int MIN_SIDE = 16 * (SsimWindow.PAD + 1);

    private final OnnxNetwork student;
    private final DjlDiscrepancy discrepancy;
    private final Normalisation normalisation;
    private final int[] channels;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final ConvUnit fusion;
    private final BatchNormRelu fusionNorm;
    private final ConvUnit decode16;
    private final BatchNormRelu decode16Norm;
    private final ConvUnit decode8;
    private final BatchNormRelu decode8Norm;
    private final ConvUnit decode4;
    private final BatchNormRelu decode4Norm;
    private final ConvUnit head;
    private final List<ConvUnit> boostConvs = new ArrayList<>();
    private final List<BatchNormRelu> boostNorms = new ArrayList<>();
    private final List<ConvUnit> boostOuts = new ArrayList<>();

    private DafNetwork(OnnxNetwork student, int[] channels, Normalisation normalisation, long seed,
                       NDManager manager) {
        this.student = student;
        this.channels = channels.clone();
        this.normalisation = normalisation;
        this.discrepancy = new DjlDiscrepancy(normalisation);
        student.getParameters().forEach(p -> parameters.put("student/" + p.getKey(), p.getValue()));
        // DAF's own layers draw from a generator split off the seed, independent of the student's draws
        SplittableRandom random = new SplittableRandom(seed).split();
        int c1 = channels[0];
        int c2 = channels[1];
        int c3 = channels[2];
        fusion = conv("fusion", c3, c3, 1, false, random, manager);
        fusionNorm = norm("fusion.bn", c3, manager);
        decode16 = conv("decoder.16", 2 * c3, c3, 3, false, random, manager);
        decode16Norm = norm("decoder.16.bn", c3, manager);
        decode8 = conv("decoder.8", c3 + c2, 4 * c2, 1, false, random, manager);
        decode8Norm = norm("decoder.8.bn", c2, manager);
        decode4 = conv("decoder.4", c2 + c1, c1, 1, false, random, manager);
        decode4Norm = norm("decoder.4.bn", c1, manager);
        head = conv("decoder.head", c1, 1, 1, true, random, manager);
        for (int l = 0; l < 3; l++) {
            int hidden = Math.max(1, channels[l] / 4);
            String name = "boost" + (l + 1);
            boostConvs.add(conv(name + ".conv", channels[l], hidden, 3, false, random, manager));
            boostNorms.add(norm(name + ".bn", hidden, manager));
            boostOuts.add(conv(name + ".out", hidden, 1, 1, true, random, manager));
        }
    }

    private ConvUnit conv(String name, int in, int out, int kernel, boolean bias, SplittableRandom random,
                          NDManager manager) {
        ConvUnit unit = new ConvUnit(name, in, out, kernel, bias, random, manager);
        unit.parameters().forEach(p -> parameters.put(p.getName(), p));
        return unit;
    }

    private BatchNormRelu norm(String name, int channels, NDManager manager) {
        BatchNormRelu unit = new BatchNormRelu(name, channels, manager);
        unit.parameters().forEach(p -> parameters.put(p.getName(), p));
        return unit;
    }

    /** A fresh network for the teacher file's structure, all weights drawn from {@code seed}. */
    public static DafNetwork create(Path teacherFile, Normalisation normalisation, long seed, NDManager manager)
            throws ModelException {
        OnnxNetwork student = OnnxNetwork.student(teacherFile, seed, manager);
        Shape[] shapes = student.getOutputShapes(new Shape[] {new Shape(1, 3, 64, 64)});
        int[] channels = new int[3];
        for (int l = 0; l < 3; l++) {
            channels[l] = (int) shapes[l].get(1);
        }
        return new DafNetwork(student, channels, normalisation, seed, manager);
    }

    /** Everything the network computes for one batch. */
    public record Output(List<NDArray> student, List<NDArray> discrepancies, NDArray segmentation,
                         List<NDArray> boosts) {
    }

    /**
     * @param images  the student's input, {@code (N, 3, H, W)}, preprocessed
     * @param teacher the teacher's features of the images it is compared with, strides 4, 8, 16
     */
    public Output forward(NDArray images, List<NDArray> teacher, boolean training) {
        NDList s = student.forward(new ParameterStore(images.getManager(), false), new NDList(images), training);
        List<NDArray> d = new ArrayList<>(3);
        for (int l = 0; l < 3; l++) {
            d.add(discrepancy.map(s.get(l), teacher.get(l)));
        }
        long h = images.getShape().get(2);
        long w = images.getShape().get(3);
        NDArray fused = fusionNorm.apply(fusion.apply(fuse(d)), training);
        NDArray x = concat(resize(fused, h / 16, w / 16, 1), s.get(2));
        x = decode16Norm.apply(decode16.apply(resize(x, h / 8, w / 8, 1)), training);
        x = decode8Norm.apply(depthToSpace(decode8.apply(concat(x, s.get(1)))), training);
        x = decode4Norm.apply(decode4.apply(resize(concat(x, s.get(0)), h / 2, w / 2, 1)), training);
        NDArray segmentation = head.apply(resize(x, h, w, 1)).getNDArrayInternal().sigmoid();
        List<NDArray> boosts = new ArrayList<>(3);
        for (int l = 0; l < 3; l++) {
            NDArray hidden = boostNorms.get(l).apply(boostConvs.get(l).apply(s.get(l)), training);
            boosts.add(boostOuts.get(l).apply(hidden).getNDArrayInternal().sigmoid());
        }
        return new Output(List.of(s.get(0), s.get(1), s.get(2)), List.copyOf(d), segmentation, List.copyOf(boosts));
    }

    /** The values {@link #export} adds: the discrepancy maps of the three levels and the segmentation map. */
    record Exported(List<String> discrepancies, String segmentation) {
    }

    /**
     * {@link #forward} in inference, as ONNX ops (operator set 17) with the current weights: the student on
     * {@code image} ({@code side x side}), the discrepancies against the teacher's values, fusion and decoder, op for
     * op. The boost heads are left out: only training uses them.
     */
    Exported export(OnnxGraphBuilder g, String image, int side, List<String> teacher) {
        List<String> s = student.export(g.scope("student"), image);
        List<String> d = new ArrayList<>(3);
        for (int l = 0; l < 3; l++) {
            d.add(discrepancy.export(g.scope("discrepancy" + (l + 1)), s.get(l), teacher.get(l), channels[l]));
        }
        OnnxGraphBuilder h = g.scope("head");
        String fused = fusionNorm.export(h, "fusion", fusion.export(h, "fusion/conv", exportFuse(h, d, side)));
        String x = concat(h, "decoder16/in", exportResize(h, "fused16", fused, side, 4, 16, 1), s.get(2));
        x = decode16Norm.export(h, "decoder16", decode16.export(h, "decoder16/conv",
                exportResize(h, "decoder16/up", x, side, 16, 8, 1)));
        String spread = h.op("DepthToSpace", "decoder8/spread",
                List.of(decode8.export(h, "decoder8/conv", concat(h, "decoder8/in", x, s.get(1)))),
                Attribute.of("blocksize", 2L), Attribute.of("mode", "CRD"));
        x = decode8Norm.export(h, "decoder8", spread);
        x = decode4Norm.export(h, "decoder4", decode4.export(h, "decoder4/conv",
                exportResize(h, "decoder4/up", concat(h, "decoder4/in", x, s.get(0)), side, 4, 2, 1)));
        String logits = head.export(h, "logits", exportResize(h, "head/up", x, side, 2, 1, 1));
        return new Exported(d, h.op("Sigmoid", "segmentation", List.of(logits)));
    }

    /** {@link #fuse} as ONNX ops: nearest upsampling to stride 4, Tile (and Slice) to {@code c3} channels, sum. */
    private String exportFuse(OnnxGraphBuilder g, List<String> d, int side) {
        String sum = null;
        for (int l = 0; l < 3; l++) {
            String level = "fuse" + (l + 1);
            String x = exportResize(g, level + "/up", d.get(l), side, 4 << l, 4, 0);
            int c = channels[l];
            if (c != channels[2]) {
                int copies = (channels[2] + c - 1) / c;
                x = g.op("Tile", level + "/tiled", List.of(x, g.longs(level + "/repeats", 1, copies, 1, 1)));
                if (copies * c != channels[2]) {
                    x = g.op("Slice", level + "/cut", List.of(x, g.longs(level + "/starts", 0),
                            g.longs(level + "/ends", channels[2]), g.longs(level + "/axes", 1)));
                }
            }
            sum = sum == null ? x : g.op("Add", level + "/sum", List.of(sum, x));
        }
        return sum;
    }

    private static String concat(OnnxGraphBuilder g, String out, String a, String b) {
        return g.op("Concat", out, List.of(a, b), Attribute.of("axis", 1L));
    }

    /**
     * {@link #resize} as ONNX ops, for a square value of side {@code side / from} made {@code side / to}. Mode 0 is
     * PyTorch's nearest ({@code floor(dst / scale)}: ONNX Resize, asymmetric, floor); mode 1 bilinear with
     * half-pixel centres and sources clamped to the edge (ONNX Resize, half_pixel) when enlarging. When shrinking,
     * DJL's bilinear interpolation on the PyTorch engine antialiases (measured: 8 to 2 pixels averages over 6 inputs
     * per output, not 2), which ONNX's Resize offers only from operator set 18 on: the same filter is applied as two
     * MatMuls with {@link #antialiasWeights}. Nothing is added when the sides agree.
     */
    static String exportResize(OnnxGraphBuilder g, String out, String x, int side, int from, int to, int mode) {
        if (from == to) {
            return x;
        }
        int in = side / from;
        int size = side / to;
        if (mode == 1 && size < in) {
            float[] weights = antialiasWeights(in, size);
            float[] transposed = new float[weights.length];
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < in; j++) {
                    transposed[j * size + i] = weights[i * in + j];
                }
            }
            String columns = g.op("MatMul", out + "/columns", List.of(x,
                    g.floats(out + "/column_weights", new long[] {in, size}, transposed)));
            return g.op("MatMul", out, List.of(g.floats(out + "/row_weights", new long[] {size, in}, weights),
                    columns));
        }
        float factor = (float) from / to;
        String scales = g.floats(out + "/scales", new long[] {4}, 1, 1, factor, factor);
        Attribute[] attributes = mode == 0
                ? new Attribute[] {Attribute.of("mode", "nearest"),
                        Attribute.of("coordinate_transformation_mode", "asymmetric"),
                        Attribute.of("nearest_mode", "floor")}
                : new Attribute[] {Attribute.of("mode", "linear"),
                        Attribute.of("coordinate_transformation_mode", "half_pixel")};
        return g.op("Resize", out, List.of(x, "", scales), attributes);
    }

    /**
     * The weight of every input pixel of one axis in each output pixel when PyTorch's antialiased bilinear
     * interpolation (align_corners false) shrinks the axis from {@code in} to {@code out} pixels: a triangle filter
     * stretched by the scale {@code in / out}, centred on the output pixel, cut at the edges and normalised to sum 1.
     * Row-major {@code (out, in)}.
     */
    static float[] antialiasWeights(int in, int out) {
        double scale = (double) in / out;
        float[] weights = new float[out * in];
        for (int i = 0; i < out; i++) {
            double centre = scale * (i + 0.5);
            // the same truncating casts as PyTorch's window bounds
            int lo = Math.max((int) (centre - scale + 0.5), 0);
            int hi = Math.min((int) (centre + scale + 0.5), in);
            double[] w = new double[hi - lo];
            double total = 0;
            for (int j = lo; j < hi; j++) {
                w[j - lo] = Math.max(0, 1 - Math.abs((j - centre + 0.5) / scale));
                total += w[j - lo];
            }
            for (int j = lo; j < hi; j++) {
                weights[i * in + j] = (float) (w[j - lo] / total);
            }
        }
        return weights;
    }

    private static NDArray concat(NDArray a, NDArray b) {
        return NDArrays.concat(new NDList(a, b), 1);
    }

    /** The three discrepancy maps summed at stride 4 over {@code c3} channels. */
    private NDArray fuse(List<NDArray> d) {
        long h = d.get(0).getShape().get(2);
        long w = d.get(0).getShape().get(3);
        NDArray sum = null;
        for (NDArray level : d) {
            NDArray tiled = tile(resize(level, h, w, 0), channels[2]);
            sum = sum == null ? tiled : sum.add(tiled);
        }
        return sum;
    }

    private static NDArray tile(NDArray x, int channels) {
        long c = x.getShape().get(1);
        if (c == channels) {
            return x;
        }
        NDList copies = new NDList();
        for (long i = 0; i < (channels + c - 1) / c; i++) {
            copies.add(x);
        }
        // concatenated copies: DJL's PyTorch engine throws on tile(axis, n)
        NDArray tiled = NDArrays.concat(copies, 1);
        return tiled.getShape().get(1) == channels ? tiled : tiled.get(":, 0:" + channels);
    }

    /** {@code mode} 0 nearest, 1 bilinear (half-pixel centres); no copy when the size is already right. */
    static NDArray resize(NDArray x, long h, long w, int mode) {
        if (x.getShape().get(2) == h && x.getShape().get(3) == w) {
            return x;
        }
        return x.getNDArrayInternal().interpolation(new long[] {h, w}, mode, false);
    }

    /** {@code (N, 4C, H, W)} to {@code (N, C, 2H, 2W)}: channel {@code 4c + 2a + b} fills pixel (2i + a, 2j + b). */
    static NDArray depthToSpace(NDArray x) {
        Shape s = x.getShape();
        long c = s.get(1) / 4;
        return x.reshape(s.get(0), c, 2, 2, s.get(2), s.get(3)).transpose(0, 1, 4, 2, 5, 3)
                .reshape(s.get(0), c, 2 * s.get(2), 2 * s.get(3));
    }

    /**
     * The inference part (student, fusion, decoder; not the boost heads) as convolutions on the native kernels, with
     * each BN folded into the convolution before it: what {@link CompiledDafDetector} runs. The student's
     * convolutions come from {@code studentFactory}, the others from {@code factory}.
     */
    CompiledHead compile(int side, CompiledNetwork.ConvFactory studentFactory, CompiledNetwork.ConvFactory factory)
            throws ModelException {
        CompiledNetwork s = student.compile(3, side, side, studentFactory);
        List<io.dafedge.kernels.Conv2d> convs = new ArrayList<>();
        try {
            convs.add(fusion.compile(factory, fusionNorm, 1, Activation.RELU));
            convs.add(decode16.compile(factory, decode16Norm, 1, Activation.RELU));
            convs.add(decode8.compile(factory, decode8Norm, 4, Activation.RELU));
            // ReLU after the resize to stride 2, which the compiled head moves behind this convolution
            convs.add(decode4.compile(factory, decode4Norm, 1, Activation.NONE));
            convs.add(head.compile(factory, null, 1, Activation.NONE));
        } catch (RuntimeException e) {
            convs.forEach(io.dafedge.kernels.Conv2d::close);
            s.close();
            throw e;
        }
        return new CompiledHead(s, convs.get(0), convs.get(1), convs.get(2), convs.get(3), convs.get(4));
    }

    /**
     * The layers pruning may touch, as the compiled detector runs them on a {@code side x side} image: the student's
     * convolutions, fusion and decoder (decoder 4 and the head at the size the compiled detector runs them, before
     * the enlargement they commute with); not the boost heads, which only training uses. Names as in
     * {@link #parameters()}.
     */
    public List<SearchMapper.Candidate> pruneCandidates(int side) throws ModelException {
        List<SearchMapper.Candidate> out = new ArrayList<>();
        for (OnnxNetwork.Convolution c : student.convolutions(side, side)) {
            out.add(new SearchMapper.Candidate("student/" + c.weight(), c.shape(), c.height(), c.width()));
        }
        ConvUnit[] units = {fusion, decode16, decode8, decode4, head};
        int[] sides = compiledHeadSides(side);
        for (int i = 0; i < units.length; i++) {
            out.add(new SearchMapper.Candidate(units[i].weightName(), units[i].shape(), sides[i], sides[i]));
        }
        return out;
    }

    /**
     * The input side of fusion, decoders 16, 8 and 4 and the head as the compiled detector runs them: decoder 4 and
     * the head before the enlargement they commute with, so at half the side {@link #forward} gives them.
     */
    static int[] compiledHeadSides(int side) {
        return new int[] {side / 4, side / 8, side / 8, side / 4, side / 2};
    }

    /** {@link #compile}'s result; closing it frees the native weights. */
    record CompiledHead(CompiledNetwork student, io.dafedge.kernels.Conv2d fusion, io.dafedge.kernels.Conv2d decode16,
                        io.dafedge.kernels.Conv2d decode8, io.dafedge.kernels.Conv2d decode4,
                        io.dafedge.kernels.Conv2d head) implements AutoCloseable {
        /** Fusion, decoders 16, 8, 4 and the head, in the order of {@link #compiledHeadSides}. */
        List<io.dafedge.kernels.Conv2d> convs() {
            return List.of(fusion, decode16, decode8, decode4, head);
        }

        @Override
        public void close() {
            student.close();
            convs().forEach(io.dafedge.kernels.Conv2d::close);
        }
    }

    /** The teacher's (and student's) channels at strides 4, 8, 16, from which every width derives. */
    public int[] channels() {
        return channels.clone();
    }

    public Normalisation normalisation() {
        return normalisation;
    }

    /** Stops gradient recording for every parameter: inference only from here on. */
    public void freeze() {
        parameters.values().forEach(p -> p.freeze(true));
    }

    /** The number of scalars over all parameters (running statistics included). */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    /** Every parameter by a stable name (student ones prefixed {@code student/}), in a fixed order. */
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Multiply-accumulates of DAF's own layers (fusion, decoder, boost heads) for an {@code h x w} input. */
    public long headMacs(long h, long w) {
        long macs = fusion.macs(h / 4, w / 4) + decode16.macs(h / 8, w / 8) + decode8.macs(h / 8, w / 8)
                + decode4.macs(h / 2, w / 2) + head.macs(h, w);
        for (int l = 0; l < 3; l++) {
            long stride = 4L << l;
            macs += boostConvs.get(l).macs(h / stride, w / stride) + boostOuts.get(l).macs(h / stride, w / stride);
        }
        return macs;
    }
}
