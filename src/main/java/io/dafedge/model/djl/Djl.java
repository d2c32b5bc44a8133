package io.dafedge.model.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

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

    public static Engine engine() {
        return Engine.getEngine(ENGINE);
    }

    /** A root manager of the PyTorch engine on the CPU; close it to free everything created under it. */
    public static NDManager newManager() {
        return engine().newBaseManager();
    }
}
