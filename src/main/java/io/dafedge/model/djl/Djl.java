package io.dafedge.model.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one way into DJL: switches it to offline mode before its classes load, since otherwise every engine start
 * "calls home" and a version mismatch triggers a native download, neither of which works on the appliance. The
 * PyTorch thread count is read once, when the engine first loads, from {@code ai.djl.pytorch.num_threads}.
 */
public final class Djl {
    public static final String ENGINE = "PyTorch";

    static {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private Djl() {
    }

    /**
     * Bounds PyTorch's intra-op threads (and its inter-op pool to one thread) unless set already; effective only
     * before the engine's first use. Unpinned, PyTorch's pools oversubscribe a 2-core box and steps vary tenfold.
     */
    public static void useThreads(int threads) {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /**
     * Sets PyTorch's intra-op thread count now, whoever loaded the engine first and with what count. PyTorch keeps
     * the count process-wide: the calling thread uses it at once, threads that start PyTorch work later adopt it, and
     * a thread that already ran PyTorch work keeps the count it had.
     */
    public static void limitThreads(int threads) {
        useThreads(threads);
        engine();
        JniUtils.setNumThreads(threads);
    }

    public static Engine engine() {
        return Engine.getEngine(ENGINE);
    }

    /**
     * A root manager of the PyTorch engine on the CPU; close it to free everything created under it. Autograd is off
     * on the calling thread afterwards: it is PyTorch's per-thread switch, on by default on every thread but the one
     * that loaded the engine, and DJL turns it on only inside a gradient collector. Work outside one (weight edits,
     * optimiser and pruning updates, inference) fails or builds graphs with it on, as seen when the engine was loaded
     * on another thread (a training run in the appliance, or an earlier test).
     */
    public static NDManager newManager() {
        NDManager manager = engine().newBaseManager();
        JniUtils.setGradMode(false);
        return manager;
    }
}
