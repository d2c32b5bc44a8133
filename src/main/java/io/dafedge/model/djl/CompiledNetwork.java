package io.dafedge.model.djl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntSupplier;

import io.dafedge.kernels.Activation;
import io.dafedge.kernels.Conv2d;
import io.dafedge.kernels.ConvChain;
import io.dafedge.kernels.ConvShape;
import io.dafedge.kernels.Epilogue;
import io.dafedge.kernels.HwcOperator;
import io.dafedge.kernels.QuantChain;
import io.dafedge.kernels.QuantConv1x1;
import io.dafedge.kernels.QuantConv1x1.QuantisedWeights;
import io.dafedge.kernels.QuantConv1x1.Quantisation;
import io.dafedge.model.ModelException;

/**
 * An {@link OnnxNetwork} on the native kernels, for one input size: each convolution becomes one {@link Step} that
 * also takes in what follows it, {@code output = second(first(conv(x)) + residual)} with {@code first} and
 * {@code second} Relu or Clip and the residual Add optional, all in the kernel's {@link Epilogue}, so the network is
 * a list of fused convolutions on HWC arrays. A network with any other op (pooling, affine layers) is refused with the op named; the caller falls
 * back to another runtime.
 *
 * <p>MobileNetV2's blocks, a 1x1 expansion (optional) whose sole reader is a depthwise 3x3 whose sole reader is a 1x1
 * projection, run as one step on a {@link ConvChain}: the wide expanded tensor then stays in cache as a few rows
 * instead of going to memory and back, with the same results to the bit. {@link #FUSE_BLOCKS} or the compile option
 * turns that off.
 *
 * <p>Compiled with an INT8 path, a block whose expansion and projection read values with a clip range (a network
 * converted from int8 clips every layer's output to its quantisation range) runs on a {@link QuantChain}: both 1x1
 * convolutions in INT8, their inputs quantised to 256 levels over those ranges, their weights symmetrically per
 * output channel (which gives back the int8 values of such a network exactly). The rest stays float.
 *
 * <p>Intermediate arrays are reused as soon as their last reader has run (same-size arrays share a slot), which
 * keeps the working set small enough to stay in the caches. Each concurrent {@link #run} takes its own set of
 * arrays from a pool, so calls from several threads are safe.
 */
public final class CompiledNetwork implements AutoCloseable {
    /**
     * System property: {@code false} compiles every convolution as a step of its own instead of fusing MobileNetV2's
     * blocks ({@link ConvChain}), for comparing the two; fusion is on unless it says {@code false}.
     */
    public static final String FUSE_BLOCKS = "dafedge.kernels.fuseBlocks";

    /**
     * Makes the native convolution of one layer; the caller picks the ISA, threads and packing. {@code epilogue} is
     * null when the shape's activation says all.
     */
    @FunctionalInterface
    public interface ConvFactory {
        Conv2d create(ConvShape shape, float[] weights, float[] bias, Epilogue epilogue);
    }

    /** Receives the time of each step of a timed {@link #run}. */
    @FunctionalInterface
    public interface StepTimer {
        void record(Step step, long nanos);
    }

    /**
     * One fused step: {@code conv} reads slot {@code input} ({@code height x width x channels}) and slot
     * {@code residual} (or -1 for none) and writes slot {@code output}, its epilogue doing the clamps and the add.
     * {@code conv} is null for an activation that follows no convolution (a clip of the input image), which
     * {@code lone} applies from {@code input} to {@code output}. A fused block has a {@code chain}, which reads
     * {@code input} and writes {@code output}; {@code conv} is then its projection (the convolution writing the
     * output and adding the residual), the name its layers' names joined by {@code +}, and the MACs the chain's. A
     * block in INT8 has a {@code quantChain} instead, and {@code conv} is its float depthwise.
     */
    public record Step(String name, Conv2d conv, int height, int width, int channels, int input, int residual,
                       int output, Clamp lone, ConvChain chain, QuantChain quantChain) {
        /** Multiply-accumulates of the dense convolution (all of a chain's); 0 for a lone activation. */
        public long macs() {
            return chain != null ? chain.macs(height, width) : quantChain != null ? quantChain.macs(height, width)
                    : conv == null ? 0 : conv.shape().macs(height, width);
        }

        /** Multiply-accumulates the kernel performs: fewer than {@link #macs} when its packing skips pruned rows. */
        public long executedMacs() {
            return chain != null ? chain.executedMacs(height, width) : quantChain != null ? macs()
                    : conv == null ? 0 : conv.executedMacs(height, width);
        }

        /** The step's float convolutions in the order they run: none, one, or a chain's (INT8 ones not). */
        public List<Conv2d> convs() {
            if (quantChain != null) {
                return quantChain.first() == null ? List.of(conv) : List.of(quantChain.first(), conv);
            }
            return chain != null ? chain.convs() : conv == null ? List.of() : List.of(conv);
        }

        /** Whether the step runs INT8 convolutions. */
        public boolean int8() {
            return quantChain != null;
        }

        /** Closes what the step owns: its convolutions, float and INT8 (a chain only borrows them). */
        void close() {
            convs().forEach(Conv2d::close);
            if (quantChain != null) {
                if (quantChain.expand() != null) {
                    quantChain.expand().close();
                }
                quantChain.project().close();
            }
        }

        /** On {@code threads} threads, or on the convolutions' own count when it is 0. */
        void run(float[][] slots, int threads) {
            float[] res = residual < 0 ? null : slots[residual];
            HwcOperator op = chain != null ? chain : quantChain != null ? quantChain : conv;
            if (op == null) {
                lone.apply(slots[input], slots[output]);
            } else if (threads == 0) {
                op.run(slots[input], height, width, res, slots[output]);
            } else {
                op.run(slots[input], height, width, res, slots[output], threads);
            }
        }
    }

    /** Relu or Clip: {@code min(max(x, lo), hi)}. */
    public record Clamp(float lo, float hi) {
        static Clamp of(UnaryLayer u) {
            if (u == null) {
                return null;
            }
            return u.opType().equals("Relu") ? new Clamp(0, Float.POSITIVE_INFINITY) : new Clamp(u.lo(), u.hi());
        }

        void apply(float[] x, float[] out) {
            for (int i = 0; i < x.length; i++) {
                out[i] = Math.min(Math.max(x[i], lo), hi);
            }
        }
    }

    private final List<Step> steps;
    private final int[] slotSizes;
    private final int inputSlot;
    private final int[] outputSlots;
    private final int[][] outputShapes;
    private final ConcurrentLinkedQueue<float[][]> workspaces = new ConcurrentLinkedQueue<>();

    private CompiledNetwork(List<Step> steps, int[] slotSizes, int inputSlot, int[] outputSlots,
                            int[][] outputShapes) {
        this.steps = steps;
        this.slotSizes = slotSizes;
        this.inputSlot = inputSlot;
        this.outputSlots = outputSlots;
        this.outputShapes = outputShapes;
    }

    /** One value of the network while compiling: its HWC shape, its readers left and its slot. */
    private static final class Value {
        final int height;
        final int width;
        final int channels;
        int readers;
        int slot = -1;

        Value(int height, int width, int channels) {
            this.height = height;
            this.width = width;
            this.channels = channels;
        }

        int size() {
            return height * width * channels;
        }
    }

    /** A step before slots are assigned. */
    private record Fused(String name, ConvLayer layer, ConvShape shape, String input, Clamp first, String residual,
                         Clamp second, String output) {
        /** The clamp its output ends with, or null when none bounds it. */
        Clamp range() {
            return residual == null ? first : second;
        }
    }

    /** Fusing blocks unless the {@link #FUSE_BLOCKS} system property says {@code false}; float. */
    static CompiledNetwork compile(String input, List<Layer> layers, List<String> outputs, int channels, int height,
                                   int width, ConvFactory factory) throws ModelException {
        boolean fuse = !"false".equalsIgnoreCase(System.getProperty(FUSE_BLOCKS, "true").trim());
        return compile(input, layers, outputs, channels, height, width, factory, fuse, null);
    }

    /**
     * @param fuseBlocks run MobileNetV2's blocks as one {@link ConvChain} step each
     * @param int8       the path of the INT8 blocks ({@link QuantChain}, for blocks whose pointwise inputs have clip
     *                   ranges; needs fuseBlocks), or null for float throughout
     */
    static CompiledNetwork compile(String input, List<Layer> layers, List<String> outputs, int channels, int height,
                                   int width, ConvFactory factory, boolean fuseBlocks, QuantConv1x1.Path int8)
            throws ModelException {
        // Identity layers only rename: every name is read through its alias from here on
        Map<String, String> alias = new HashMap<>();
        for (Layer layer : layers) {
            if (isIdentity(layer)) {
                alias.put(layer.output(), resolve(alias, layer.inputs().get(0)));
            }
        }
        Map<String, Integer> readers = new HashMap<>();
        for (Layer layer : layers) {
            if (!isIdentity(layer)) {
                layer.inputs().forEach(v -> readers.merge(resolve(alias, v), 1, Integer::sum));
            }
        }
        outputs.forEach(v -> readers.merge(resolve(alias, v), 1, Integer::sum));
        // fusion takes a layer's output into the next layer only when that layer is its sole reader
        Map<String, Layer> soleReader = new HashMap<>();
        for (Layer layer : layers) {
            if (!isIdentity(layer)) {
                layer.inputs().stream().map(v -> resolve(alias, v)).filter(v -> readers.get(v) == 1)
                        .forEach(v -> soleReader.put(v, layer));
            }
        }
        Map<String, Value> values = new HashMap<>();
        values.put(input, new Value(height, width, channels));
        List<Fused> fused = new ArrayList<>();
        Set<Layer> done = new HashSet<>();
        for (Layer layer : layers) {
            if (done.contains(layer) || isIdentity(layer)) {
                continue;
            }
            String in = resolve(alias, layer.inputs().get(0));
            Value x = values.get(in);
            if (layer instanceof UnaryLayer u) {
                values.put(u.output(), new Value(x.height, x.width, x.channels));
                fused.add(new Fused(u.output(), null, null, in, Clamp.of(u), null, null, u.output()));
                continue;
            }
            if (!(layer instanceof ConvLayer conv)) {
                throw new ModelException("no compiled kernel for " + describe(layer) + " (only convolutions, Relu, "
                        + "Clip and the residual Add after a convolution)");
            }
            String out = conv.output();
            UnaryLayer first = activation(soleReader.get(out));
            if (first != null) {
                done.add(first);
                out = first.output();
            }
            String residual = null;
            UnaryLayer second = null;
            if (soleReader.get(out) instanceof AddLayer add
                    && !resolve(alias, add.left()).equals(resolve(alias, add.right()))) {
                String left = resolve(alias, add.left());
                residual = left.equals(out) ? resolve(alias, add.right()) : left;
                done.add(add);
                out = add.output();
                second = activation(soleReader.get(out));
                if (second != null) {
                    done.add(second);
                    out = second.output();
                }
            }
            ConvShape shape = shape(conv, x);
            Value result = new Value(shape.outHeight(x.height), shape.outWidth(x.width), shape.outChannels());
            Value r = residual == null ? null : values.get(residual);
            if (residual != null && (r == null || r.size() != result.size())) {
                throw new ModelException(conv.output() + ": the residual " + residual + " is not computed before "
                        + "it or does not match the convolution's output");
            }
            values.put(out, result);
            fused.add(new Fused(conv.output(), conv, shape, in, Clamp.of(first), residual, Clamp.of(second), out));
        }
        List<String> outNames = new ArrayList<>();
        for (String o : outputs) {
            String name = resolve(alias, o);
            if (!values.containsKey(name)) {
                throw new ModelException("output " + o + " is not computed by the compiled layers");
            }
            outNames.add(name);
        }
        Map<String, Integer> reads = new HashMap<>();
        for (Fused f : fused) {
            reads.merge(f.input(), 1, Integer::sum);
            if (f.residual() != null) {
                reads.merge(f.residual(), 1, Integer::sum);
            }
        }
        outNames.forEach(o -> reads.merge(o, 1, Integer::sum));
        Map<String, Clamp> ranges = new HashMap<>();
        fused.forEach(f -> ranges.put(f.output(), f.range()));
        Int8 quantised = int8 == null ? null : new Int8(int8, ranges);
        return allocate(fuseBlocks ? blocks(fused, reads) : singles(fused), values, input, outNames, factory,
                quantised);
    }

    /** The INT8 path and every value's clip range (null when unbounded), for {@link #chain}. */
    private record Int8(QuantConv1x1.Path path, Map<String, Clamp> ranges) {
        /** 256 levels over the range, or null when it is unbounded or leaves out 0 (which must stay exact). */
        Quantisation of(Clamp range) {
            if (range == null || !Float.isFinite(range.lo()) || !Float.isFinite(range.hi()) || range.lo() > 0
                    || range.hi() < 0 || range.hi() <= range.lo()) {
                return null;
            }
            return Quantisation.forRange(range.lo(), range.hi());
        }
    }

    private static List<List<Fused>> singles(List<Fused> fused) {
        return fused.stream().map(List::of).toList();
    }

    /**
     * Groups MobileNetV2's blocks: consecutive steps expand (optional) -> depthwise -> project where each one's output
     * (after its fused clamps) has the next as its only reader, so the chain's intermediates need no array. The
     * first stage may be any convolution that is not depthwise, so MobileNetV2's first convolution joins the first
     * block. The rest stay single steps.
     */
    private static List<List<Fused>> blocks(List<Fused> fused, Map<String, Integer> reads) {
        List<List<Fused>> groups = new ArrayList<>();
        for (int i = 0; i < fused.size(); ) {
            if (i + 2 < fused.size() && firstStage(fused.get(i)) && depthwise(fused.get(i + 1))
                    && pointwise(fused.get(i + 2)) && feeds(fused.get(i), fused.get(i + 1), reads)
                    && feeds(fused.get(i + 1), fused.get(i + 2), reads)) {
                groups.add(List.of(fused.get(i), fused.get(i + 1), fused.get(i + 2)));
                i += 3;
            } else if (i + 1 < fused.size() && depthwise(fused.get(i)) && pointwise(fused.get(i + 1))
                    && feeds(fused.get(i), fused.get(i + 1), reads)) {
                groups.add(List.of(fused.get(i), fused.get(i + 1)));
                i += 2;
            } else {
                groups.add(List.of(fused.get(i)));
                i++;
            }
        }
        return groups;
    }

    /** {@code a}'s output goes to {@code b} alone (no residual taken in before the chain's end). */
    private static boolean feeds(Fused a, Fused b, Map<String, Integer> reads) {
        return a.residual() == null && b.input().equals(a.output()) && reads.get(a.output()) == 1;
    }

    /** A convolution that is not depthwise: a chain's first stage ({@link ConvChain}). */
    private static boolean firstStage(Fused f) {
        ConvShape s = f.shape();
        return s != null && !(s.groups() == s.inChannels() && s.outChannels() == s.inChannels());
    }

    /** 1x1, stride 1, unpadded, not depthwise: a chain's projection, or an expansion INT8 can take. */
    private static boolean pointwise(Fused f) {
        ConvShape s = f.shape();
        return s != null && s.kernelHeight() == 1 && s.kernelWidth() == 1 && s.strideHeight() == 1
                && s.strideWidth() == 1 && s.padTop() == 0 && s.padLeft() == 0 && s.padBottom() == 0
                && s.padRight() == 0 && !(s.groups() == s.inChannels() && s.outChannels() == s.inChannels());
    }

    /** Depthwise 3x3, stride 1 or 2, padding 0 or 1: a chain's middle ({@link ConvChain}). */
    private static boolean depthwise(Fused f) {
        ConvShape s = f.shape();
        return s != null && s.groups() == s.inChannels() && s.outChannels() == s.inChannels()
                && s.kernelHeight() == 3 && s.kernelWidth() == 3 && s.strideHeight() <= 2 && s.strideWidth() <= 2
                && Math.max(Math.max(s.padTop(), s.padLeft()), Math.max(s.padBottom(), s.padRight())) <= 1;
    }

    private static UnaryLayer activation(Layer layer) {
        return layer instanceof UnaryLayer u && !isIdentity(u) ? u : null;
    }

    private static boolean isIdentity(Layer layer) {
        return layer instanceof UnaryLayer u && u.opType().equals("Identity");
    }

    /**
     * Gives every value a slot, reusing one of the same size once its value has no reader left. A group (a fused
     * block) reads its first step's input and its last one's residual and writes its last one's output; the values
     * between its steps get no slot.
     */
    private static CompiledNetwork allocate(List<List<Fused>> groups, Map<String, Value> values, String input,
                                            List<String> outputs, ConvFactory factory, Int8 int8) {
        for (List<Fused> g : groups) {
            values.get(g.get(0).input()).readers++;
            String residual = g.get(g.size() - 1).residual();
            if (residual != null) {
                values.get(residual).readers++;
            }
        }
        outputs.forEach(o -> values.get(o).readers = Integer.MAX_VALUE / 2);
        List<Integer> sizes = new ArrayList<>();
        Map<Integer, ArrayDeque<Integer>> free = new HashMap<>();
        Value in = values.get(input);
        in.slot = newSlot(sizes, in.size());
        in.readers = Integer.MAX_VALUE / 2; // the caller's array: never written
        List<Step> steps = new ArrayList<>();
        try {
            for (List<Fused> g : groups) {
                Fused last = g.get(g.size() - 1);
                Value x = values.get(g.get(0).input());
                Value out = values.get(last.output());
                ArrayDeque<Integer> same = free.get(out.size());
                out.slot = same == null || same.isEmpty() ? newSlot(sizes, out.size()) : same.pop();
                Value r = last.residual() == null ? null : values.get(last.residual());
                steps.add(g.size() == 1 ? step(last, factory, x, r, out) : chain(g, factory, int8, x, r, out));
                for (Value read : r == null ? List.of(x) : List.of(x, r)) {
                    if (--read.readers == 0) {
                        free.computeIfAbsent(read.size(), k -> new ArrayDeque<>()).push(read.slot);
                    }
                }
            }
        } catch (RuntimeException e) {
            steps.forEach(Step::close);
            throw e;
        }
        int[] outSlots = outputs.stream().mapToInt(o -> values.get(o).slot).toArray();
        int[][] shapes = outputs.stream().map(values::get).map(v -> new int[] {v.height, v.width, v.channels})
                .toArray(int[][]::new);
        return new CompiledNetwork(List.copyOf(steps), sizes.stream().mapToInt(Integer::intValue).toArray(),
                in.slot, outSlots, shapes);
    }

    /** The step of {@code f}, its clamps and residual add in the kernel's epilogue. */
    private static Step step(Fused f, ConvFactory factory, Value x, Value r, Value out) {
        if (f.layer() == null) {
            return new Step(f.name(), null, x.height, x.width, x.channels, x.slot, -1, out.slot, f.first(), null,
                    null);
        }
        return new Step(f.name(), conv(f, factory), x.height, x.width, x.channels, x.slot, r == null ? -1 : r.slot,
                out.slot, null, null, null);
    }

    /**
     * The step of a fused block: its two or three convolutions, each with its own epilogue, as one chain; in INT8
     * when {@code int8} is given and both pointwise convolutions' inputs can be quantised.
     */
    private static Step chain(List<Fused> g, ConvFactory factory, Int8 int8, Value x, Value r, Value out) {
        String name = String.join("+", g.stream().map(Fused::name).toList());
        Fused head = g.size() == 3 ? g.get(0) : null;
        // a first stage that is not 1x1 (MobileNetV2's first convolution) stays float inside an INT8 chain
        Fused expandLayer = head != null && pointwise(head) && dense(head) ? head : null;
        Fused firstLayer = head != null && expandLayer == null ? head : null;
        Fused depthwiseLayer = g.get(g.size() - 2);
        Fused projectLayer = g.get(g.size() - 1);
        Quantisation expandIn = int8 == null || expandLayer == null ? null
                : int8.of(int8.ranges().get(expandLayer.input()));
        Quantisation projectIn = int8 == null ? null : int8.of(depthwiseLayer.first());
        if (projectIn != null && (expandLayer == null || expandIn != null) && dense(projectLayer)
                && (head == null || expandLayer != null || !pointwise(head))) {
            List<AutoCloseable> made = new ArrayList<>();
            try {
                QuantConv1x1 expand = expandLayer == null ? null : quantised(expandLayer, expandIn, int8.path());
                made.add(expand);
                Conv2d first = firstLayer == null ? null : conv(firstLayer, factory);
                made.add(first);
                Conv2d depthwise = conv(depthwiseLayer, factory);
                made.add(depthwise);
                QuantConv1x1 project = quantised(projectLayer, projectIn, int8.path());
                made.add(project);
                int threads = depthwise.threads();
                QuantChain chain = first == null ? QuantChain.of(expand, depthwise, project, threads)
                        : QuantChain.withFloatFirst(first, depthwise, project, threads);
                return new Step(name, depthwise, x.height, x.width, x.channels, x.slot, r == null ? -1 : r.slot,
                        out.slot, null, null, chain);
            } catch (RuntimeException e) {
                for (AutoCloseable c : made) {
                    closeQuietly(c);
                }
                throw e;
            }
        }
        List<Conv2d> convs = new ArrayList<>();
        try {
            for (Fused f : g) {
                convs.add(conv(f, factory));
            }
            Conv2d expand = convs.size() == 3 ? convs.get(0) : null;
            Conv2d depthwise = convs.get(convs.size() - 2);
            Conv2d project = convs.get(convs.size() - 1);
            ConvChain chain = ConvChain.of(expand, depthwise, project);
            return new Step(name, project, x.height, x.width, x.channels, x.slot, r == null ? -1 : r.slot, out.slot,
                    null, chain, null);
        } catch (RuntimeException e) {
            convs.forEach(Conv2d::close);
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            // closing native memory after a failed compile: nothing more to do
        }
    }

    private static Conv2d conv(Fused f, ConvFactory factory) {
        ConvLayer c = f.layer();
        return factory.create(f.shape(), c.weight().getArray().toFloatArray(),
                c.bias() == null ? null : c.bias().getArray().toFloatArray(), epilogue(f));
    }

    private static Epilogue epilogue(Fused f) {
        float inf = Float.POSITIVE_INFINITY;
        Clamp first = f.first() == null ? new Clamp(-inf, inf) : f.first();
        Clamp second = f.second() == null ? new Clamp(-inf, inf) : f.second();
        return new Epilogue(first.lo(), first.hi(), second.lo(), second.hi());
    }

    /** Not grouped: {@link QuantConv1x1} is a dense 1x1 convolution. */
    private static boolean dense(Fused f) {
        return f.shape().groups() == 1;
    }

    /** The 1x1 convolution of {@code f} in INT8: weights symmetric per output channel, float output. */
    private static QuantConv1x1 quantised(Fused f, Quantisation input, QuantConv1x1.Path path) {
        ConvLayer c = f.layer();
        ConvShape s = f.shape();
        QuantisedWeights w = QuantisedWeights.symmetric(c.weight().getArray().toFloatArray(), s.outChannels(),
                s.inChannels());
        return QuantConv1x1.create(w, c.bias() == null ? null : c.bias().getArray().toFloatArray(), input,
                epilogue(f), null, path, 1);
    }

    private static int newSlot(List<Integer> sizes, int size) {
        sizes.add(size);
        return sizes.size() - 1;
    }

    private static String resolve(Map<String, String> alias, String name) {
        String a = alias.get(name);
        return a == null ? name : a;
    }

    private static ConvShape shape(ConvLayer conv, Value in) throws ModelException {
        return shape(conv, in.height, in.width);
    }

    /** The native shape of {@code conv} on an input of {@code height x width}; refuses what the kernels lack. */
    static ConvShape shape(ConvLayer conv, int height, int width) throws ModelException {
        long[] d = conv.dilation();
        if (d[0] != 1 || d[1] != 1) {
            throw new ModelException(conv.output() + ": dilated convolutions have no compiled kernel");
        }
        long[] k = conv.kernel();
        long[] s = conv.stride();
        long[] p = conv.padding().resolve(height, width, k, s, d);
        long[] w = conv.weight().getArray().getShape().getShape();
        return new ConvShape((int) w[1] * conv.group(), (int) w[0], (int) k[0], (int) k[1], (int) s[0], (int) s[1],
                (int) p[0], (int) p[1], (int) p[2], (int) p[3], conv.group(), Activation.NONE);
    }

    private static String describe(Layer layer) {
        return layer.getClass().getSimpleName().replace("Layer", "") + " -> " + layer.output();
    }

    public List<Step> steps() {
        return steps;
    }

    /** Floats of the arrays one {@link #run} works in, the input image's excluded. */
    public long workspaceFloats() {
        long n = 0;
        for (int i = 0; i < slotSizes.length; i++) {
            n += i == inputSlot ? 0 : slotSizes[i];
        }
        return n;
    }

    /** Height, width and channels of each output, in {@link OnnxNetwork#outputNames} order. */
    public int[] outputShape(int output) {
        return outputShapes[output].clone();
    }

    /** The outputs (HWC) for one HWC image; {@code timer} may be null. */
    public float[][] run(float[] image, StepTimer timer) {
        return run(image, timer, null);
    }

    /**
     * As {@link #run(float[], StepTimer)}, each step on as many threads as {@code threads} says when it starts (null:
     * the convolutions' own count): for a network that shares the cores with another until that one is done.
     */
    public float[][] run(float[] image, StepTimer timer, IntSupplier threads) {
        if (image.length != slotSizes[inputSlot]) {
            throw new IllegalArgumentException("input: expected " + slotSizes[inputSlot] + " values (HWC), got "
                    + image.length);
        }
        float[][] slots = workspaces.poll();
        if (slots == null) {
            slots = new float[slotSizes.length][];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = i == inputSlot ? null : new float[slotSizes[i]];
            }
        }
        try {
            slots[inputSlot] = image;
            for (Step step : steps) {
                long start = timer == null ? 0 : System.nanoTime();
                step.run(slots, threads == null ? 0 : threads.getAsInt());
                if (timer != null) {
                    timer.record(step, System.nanoTime() - start);
                }
            }
            float[][] out = new float[outputSlots.length][];
            for (int i = 0; i < out.length; i++) {
                out[i] = slots[outputSlots[i]].clone();
            }
            return out;
        } finally {
            slots[inputSlot] = null;
            workspaces.add(slots);
        }
    }

    /** Closes every step's convolutions (a chain only borrows its block's; the network owns them). */
    @Override
    public void close() {
        steps.forEach(Step::close);
    }
}
