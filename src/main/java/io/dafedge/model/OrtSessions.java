package io.dafedge.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** How every ONNX Runtime session of daf-edge is set up, so the teacher and the detectors run alike. */
public final class OrtSessions {
    private OrtSessions() {
    }

    /**
     * Options for a session on {@code threads} threads (at least 1), fully optimised. Idle pool threads sleep instead
     * of spinning: on a small box the spin takes the cores the rest of the pipeline (decoding, drawing, publishing)
     * needs (pipeline bench: p99 latency 111 -> 53 ms). The caller closes them.
     */
    public static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(Math.max(1, threads));
        opts.setInterOpNumThreads(1);
        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        opts.addConfigEntry("session.intra_op.allow_spinning", "0");
        return opts;
    }
}
