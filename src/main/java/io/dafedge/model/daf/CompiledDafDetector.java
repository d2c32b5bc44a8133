package io.dafedge.model.daf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.djl.ndarray.NDManager;
import io.dafedge.kernels.Conv2d;
import io.dafedge.kernels.GeneratedKernels;
import io.dafedge.kernels.KernelBuildException;
import io.dafedge.kernels.Isa;
import io.dafedge.kernels.Ops;
import io.dafedge.kernels.Packing;
import io.dafedge.kernels.QuantConv1x1;
import io.dafedge.kernels.Scaling;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.djl.CompiledNetwork;
import io.dafedge.model.djl.Djl;
import io.dafedge.model.djl.OnnxNetwork;
import io.dafedge.synth.Image;
import org.jboss.logging.Logger;

/**
 * A DAF bundle's whole inference on daf-edge's native kernels (native-kernels/): teacher and student as fused
 * convolutions ({@link CompiledNetwork}), the discrepancies, fusion, decoder and scoring as the operators of
 * {@link Ops}, all on HWC arrays; computes what {@link DafDetector} does. With {@link Packing#SPARSE} the pruned
 * layers skip the weight rows pruning removed (the bundle's scheme shapes them so, docs/models.md).
 *
 * <p>Two rewrites change the order of operations, not the result (beyond float rounding): every BN is folded into
 * the convolution before it, and the decoder's last two 1x1 convolutions run before the bilinear enlargement that
 * precedes them in {@link DafNetwork#forward} (both are linear and the resize's weights sum to 1, so they commute;
 * the ReLU and sigmoid stay after the resize), which divides their cost by 4.
 *
 * <p>Thread-safe: concurrent {@link #score} calls each take their own arrays from a pool.
 */
public final class CompiledDafDetector implements Detector {
    private static final Logger LOG = Logger.getLogger(CompiledDafDetector.class);
    /**
     * Receives the time of each stage of a timed {@link #score}: a layer's name, its nanoseconds and the MACs its
     * kernel performs.
     */
    @FunctionalInterface
    public interface StageTimer {
        void record(String stage, long nanos, long macs);
    }

    /** Runs teachers beside their students; daemon threads, created when needed and idle ones dropped. */
    private static final ExecutorService TEACHER_THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30,
            TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "daf-compiled-teacher");
                t.setDaemon(true);
                return t;
            });

    private final ConcurrentLinkedQueue<Workspace> workspaces = new ConcurrentLinkedQueue<>();
    private final Preprocessing pre;
    private final int side;
    private final int threads;
    private final int[] c;
    private final Scaling scaling;
    private final CompiledNetwork teacher;
    private final DafNetwork.CompiledHead net;
    private GeneratedKernels generated;

    private CompiledDafDetector(Preprocessing pre, int threads, int[] channels, Scaling scaling,
                                CompiledNetwork teacher, DafNetwork.CompiledHead net) {
        this.pre = pre;
        this.side = pre.size();
        this.threads = threads;
        this.c = channels;
        this.scaling = scaling;
        this.teacher = teacher;
        this.net = net;
    }

    /**
     * @param packing {@link Packing#SPARSE} to skip pruned weights, {@link Packing#DENSE} to compute them as zeros
     * @throws ModelException when the bundle is not DAF, or its networks have a layer without a compiled kernel
     */
    public static CompiledDafDetector load(ModelBundle bundle, int threads, Packing packing) throws ModelException {
        return load(bundle, threads, packing, false, null);
    }

    /**
     * @param int8Teacher run the teacher's fused blocks with INT8 pointwise convolutions where its clips give their
     *                    inputs' ranges ({@link CompiledNetwork}) on {@link QuantConv1x1.Path#forNetworks()}'s path;
     *                    float when that is none (no AVX-512 VNNI, or switched off)
     * @param kernelCache where to build and keep model-specialised kernels for the sparse-packed convolutions
     *                    ({@link GeneratedKernels}), or null for the generic kernels only; when they cannot be had
     *                    (no C compiler, the folder not writable) the generic kernels run and the reason is logged
     */
    public static CompiledDafDetector load(ModelBundle bundle, int threads, Packing packing, boolean int8Teacher,
                                           Path kernelCache) throws ModelException {
        if (!DafBundle.METHOD.equals(bundle.method())) {
            throw new ModelException("bundle " + bundle.dir() + " holds a '" + bundle.method() + "' model, not DAF");
        }
        Preprocessing pre = bundle.preprocessing();
        int side = pre.size();
        if (side % 16 != 0) {
            throw new ModelException("the compiled detector needs an input side that is a multiple of 16, not "
                    + side);
        }
        Isa isa = Isa.selected();
        CompiledNetwork.ConvFactory head = (shape, w, b, e) -> Conv2d.create(shape, w, b, isa, threads, packing, e);
        // teacher and student run side by side, each on its share of the threads (see score)
        int share = Math.max(1, threads / 2);
        CompiledNetwork.ConvFactory networks = (shape, w, b, e) -> Conv2d.create(shape, w, b, isa, share, packing,
                e);
        try (NDManager manager = Djl.newManager()) {
            DafNetwork network = DafBundle.load(bundle, manager);
            OnnxNetwork teacherNetwork = OnnxNetwork.teacher(bundle.teacherFile(), manager);
            QuantConv1x1.Path int8 = int8Teacher ? QuantConv1x1.Path.forNetworks() : null;
            CompiledNetwork teacher = int8 != null ? teacherNetwork.compile(3, side, side, networks, int8)
                    : teacherNetwork.compile(3, side, side, networks);
            DafNetwork.CompiledHead compiled;
            try {
                compiled = network.compile(side, networks, head);
            } catch (ModelException | RuntimeException e) {
                teacher.close();
                throw e;
            }
            CompiledDafDetector detector = new CompiledDafDetector(pre, threads, network.channels(),
                    Scaling.valueOf(network.normalisation().name()), teacher, compiled);
            if (kernelCache != null && packing == Packing.SPARSE) {
                detector.generate(bundle, kernelCache);
            }
            return detector;
        }
    }

    /** Attaches model-specialised kernels to every convolution they serve; the generic ones stay when they fail. */
    private void generate(ModelBundle bundle, Path cache) {
        List<Conv2d> convs = new ArrayList<>();
        for (CompiledNetwork n : new CompiledNetwork[] {teacher, net.student()}) {
            n.steps().forEach(s -> convs.addAll(s.convs()));
        }
        convs.addAll(net.convs());
        try {
            generated = GeneratedKernels.attach(convs, cache);
            LOG.infof("bundle %s: %s", bundle.id(), generated);
        } catch (KernelBuildException e) {
            LOG.warnf("bundle %s runs on the generic kernels: the model-specialised ones cannot be had: %s",
                    bundle.id(), e.getMessage());
        }
    }

    /** The model-specialised kernels in use, or null when none are. */
    public GeneratedKernels generated() {
        return generated;
    }

    @Override
    public AnomalyMap score(Image image) {
        return score(image, null);
    }

    /** {@link #score(Image)}, reporting each stage's time to {@code timer} (null for none). */
    public AnomalyMap score(Image image, StageTimer timer) {
        Timing t = new Timing(timer);
        float[] x = pre.tensorHwc(image);
        t.lap("input", 0);
        float[][] ft;
        float[][] fs;
        if (threads > 1 && timer == null) {
            // two networks of small layers: each on its own half of the cores beats both taking turns on all; the
            // one still running when the other is done takes all of them for its remaining layers
            int share = Math.max(1, threads / 2);
            AtomicBoolean teacherDone = new AtomicBoolean();
            AtomicBoolean studentDone = new AtomicBoolean();
            CompletableFuture<float[][]> teacherRun = CompletableFuture.supplyAsync(() -> {
                try {
                    return teacher.run(x, null, () -> studentDone.get() ? threads : share);
                } finally {
                    teacherDone.set(true);
                }
            }, TEACHER_THREADS);
            try {
                fs = net.student().run(x, null, () -> teacherDone.get() ? threads : share);
            } finally {
                studentDone.set(true);
            }
            ft = teacherRun.join();
        } else {
            ft = teacher.run(x, steps(timer, "teacher/"));
            fs = net.student().run(x, steps(timer, "student/"));
        }
        t.reset();
        Workspace w = workspaces.poll();
        if (w == null) {
            w = new Workspace(side, c);
        }
        try {
            return head(fs, ft, w, t);
        } finally {
            workspaces.add(w);
        }
    }

    /** Everything after the two networks, in {@code w}'s arrays. */
    private AnomalyMap head(float[][] fs, float[][] ft, Workspace w, Timing t) {
        int s4 = side / 4;
        int s8 = side / 8;
        int s16 = side / 16;
        int s2 = side / 2;
        float[][] d = w.d;
        for (int l = 0; l < 3; l++) {
            int h = side / (4 << l);
            Ops.discrepancy(fs[l], ft[l], h, h, c[l], scaling, d[l], threads);
            t.lap("discrepancy" + (l + 1), 0);
        }
        int c1 = c[0];
        int c2 = c[1];
        int c3 = c[2];
        float[] sum = w.sum;
        for (int l = 0; l < 3; l++) {
            int h = side / (4 << l);
            Ops.fuseNearest(d[l], h, h, c[l], 1 << l, sum, c3, l > 0);
        }
        t.lap("fuse", 0);
        float[] fused = run(net.fusion(), sum, s4, w.fused, t, "fusion");
        float[] in16 = w.in16;
        Ops.resizeBilinear(fused, s4, s4, c3, s16, s16, in16, 2 * c3, 0, threads);
        Ops.copyChannels(fs[2], s16 * s16, c3, in16, 2 * c3, c3);
        float[] in8 = w.in8;
        Ops.resizeBilinear(in16, s16, s16, 2 * c3, s8, s8, in8, 2 * c3, 0, threads);
        t.lap("decoder16/resize", 0);
        float[] y8 = run(net.decode16(), in8, s8, w.y8, t, "decoder16");
        float[] cat8 = w.cat8;
        Ops.copyChannels(y8, s8 * s8, c3, cat8, c3 + c2, 0);
        Ops.copyChannels(fs[1], s8 * s8, c2, cat8, c3 + c2, c3);
        t.lap("decoder8/concat", 0);
        float[] z = run(net.decode8(), cat8, s8, w.z, t, "decoder8");
        float[] cat4 = w.cat4;
        float[] y4 = w.y4;
        Ops.depthToSpace(z, s8, s8, 4 * c2, y4);
        Ops.copyChannels(y4, s4 * s4, c2, cat4, c2 + c1, 0);
        Ops.copyChannels(fs[0], s4 * s4, c1, cat4, c2 + c1, c2);
        t.lap("decoder4/concat", 0);
        float[] u = run(net.decode4(), cat4, s4, w.u, t, "decoder4");
        float[] x2 = w.x2;
        Ops.resizeBilinear(u, s4, s4, c1, s2, s2, x2, c1, 0, threads);
        Ops.relu(x2, x2.length);
        t.lap("decoder4/resize", 0);
        float[] logits = run(net.head(), x2, s2, w.logits, t, "head");
        float[] segmentation = w.segmentation;
        Ops.resizeBilinear(logits, s2, s2, 1, side, side, segmentation, 1, 0, threads);
        Ops.sigmoid(segmentation, segmentation.length);
        t.lap("head/resize", 0);
        return scoreMap(d, segmentation, w, t);
    }

    private static CompiledNetwork.StepTimer steps(StageTimer timer, String prefix) {
        return timer == null ? null : (step, nanos) -> timer.record(prefix + step.name(), nanos, step.executedMacs());
    }

    /** {@link DafScoring#score} on the native operators. */
    private AnomalyMap scoreMap(float[][] d, float[] segmentation, Workspace w, Timing t) {
        float[] a = w.a;
        float[] up = w.up;
        for (int l = 0; l < 3; l++) {
            int h = side / (4 << l);
            float[] mean = w.means[l];
            Ops.channelMean(d[l], h, h, c[l], mean);
            Ops.resizeBilinear(mean, h, h, 1, side, side, l == 0 ? a : up, 1, 0, threads);
            for (int i = 0; l > 0 && i < a.length; i++) {
                a[i] += up[i];
            }
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += DafScoring.SEGMENTATION_WEIGHT * segmentation[i];
        }
        float[] blurred = new float[a.length];
        Ops.gaussianBlur(a, side, side, DafScoring.BLUR_SIGMA, blurred, threads);
        float score = Ops.topKMean(blurred, blurred.length, DafScoring.TOP_K);
        t.lap("scoring", 0);
        return new AnomalyMap(side, side, blurred, score);
    }

    private float[] run(Conv2d conv, float[] in, int h, float[] out, Timing t, String name) {
        conv.run(in, h, h, null, out);
        t.lap(name, conv.executedMacs(h, h));
        return out;
    }

    /**
     * One call's arrays after the networks, about 11 MB at 256 x 256: kept between calls, since allocating (and
     * zeroing) them per frame cost about a millisecond. Every array is written whole before it is read.
     */
    private static final class Workspace {
        final float[][] d = new float[3][];
        final float[][] means = new float[3][];
        final float[] sum;
        final float[] fused;
        final float[] in16;
        final float[] in8;
        final float[] y8;
        final float[] cat8;
        final float[] z;
        final float[] y4;
        final float[] cat4;
        final float[] u;
        final float[] x2;
        final float[] logits;
        final float[] segmentation;
        final float[] a;
        final float[] up;

        Workspace(int side, int[] c) {
            for (int l = 0; l < 3; l++) {
                int h = side / (4 << l);
                d[l] = new float[h * h * c[l]];
                means[l] = new float[h * h];
            }
            int s2 = side / 2;
            int s4 = side / 4;
            int s8 = side / 8;
            int s16 = side / 16;
            sum = new float[s4 * s4 * c[2]];
            fused = new float[s4 * s4 * c[2]];
            in16 = new float[s16 * s16 * 2 * c[2]];
            in8 = new float[s8 * s8 * 2 * c[2]];
            y8 = new float[s8 * s8 * c[2]];
            cat8 = new float[s8 * s8 * (c[2] + c[1])];
            z = new float[s8 * s8 * 4 * c[1]];
            y4 = new float[s4 * s4 * c[1]];
            cat4 = new float[s4 * s4 * (c[1] + c[0])];
            u = new float[s4 * s4 * c[0]];
            x2 = new float[s2 * s2 * c[0]];
            logits = new float[s2 * s2];
            segmentation = new float[side * side];
            a = new float[side * side];
            up = new float[side * side];
        }
    }

    /** Times consecutive stages when a timer is given; does nothing otherwise. */
    private static final class Timing {
        private final StageTimer timer;
        private long last = System.nanoTime();

        Timing(StageTimer timer) {
            this.timer = timer;
        }

        void lap(String stage, long macs) {
            if (timer != null) {
                long now = System.nanoTime();
                timer.record(stage, now - last, macs);
                last = now;
            }
        }

        void reset() {
            last = System.nanoTime();
        }
    }

    /** The teacher's fused blocks that run INT8 convolutions, of all its steps. */
    public long int8TeacherSteps() {
        return teacher.steps().stream().filter(CompiledNetwork.Step::int8).count();
    }

    /** Multiply-accumulates of one image's convolutions as dense ones, and as the kernels execute them. */
    public long[] macs() {
        long dense = 0;
        long executed = 0;
        for (CompiledNetwork n : new CompiledNetwork[] {teacher, net.student()}) {
            for (CompiledNetwork.Step s : n.steps()) {
                dense += s.macs();
                executed += s.executedMacs();
            }
        }
        int[] sides = DafNetwork.compiledHeadSides(side);
        List<Conv2d> head = net.convs();
        for (int i = 0; i < head.size(); i++) {
            dense += head.get(i).shape().macs(sides[i], sides[i]);
            executed += head.get(i).executedMacs(sides[i], sides[i]);
        }
        return new long[] {dense, executed};
    }

    @Override
    public int inputSize() {
        return side;
    }

    @Override
    public void close() {
        teacher.close();
        net.close();
        if (generated != null) {
            generated.close();
        }
    }
}
