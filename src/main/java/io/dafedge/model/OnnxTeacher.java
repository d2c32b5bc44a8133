package io.dafedge.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * The frozen teacher backbone, run by ONNX Runtime. Contract of the file: one float input {@code [N, 3, H, W]} and,
 * among its outputs, exactly three 4-D float feature maps at strides 4, 8 and 16 (other outputs, such as a
 * classifier's logits, are ignored). The strides are measured with a probe run when the file is opened, so the
 * outputs may come in any order and with any names. {@link #extract} may be called from several threads (ONNX
 * Runtime sessions are thread-safe).
 */
public final class OnnxTeacher implements AutoCloseable {
    public static final int[] STRIDES = {4, 8, 16};
    private static final int PROBE_SIZE = 64;

    private final Path file;
    private final String sha256;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    /** Output names ordered by stride 4, 8, 16. */
    private final List<String> outputs;
    private final int[] channels;

    private OnnxTeacher(Path file, String sha256, OrtEnvironment env, OrtSession session, String input,
                        List<String> outputs, int[] channels) {
        this.file = file;
        this.sha256 = sha256;
        this.env = env;
        this.session = session;
        this.input = input;
        this.outputs = outputs;
        this.channels = channels;
    }

    /** Opens and checks a teacher file; {@code threads} bounds ONNX Runtime's intra-op threads. */
    public static OnnxTeacher open(Path file, int threads) throws ModelException {
        if (!Files.isRegularFile(file)) {
            throw new ModelException("teacher file " + file + " does not exist");
        }
        String sha = sha256(file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions opts = OrtSessions.options(threads)) {
            session = env.createSession(file.toString(), opts);
            String input = onlyInput(file, session);
            List<String> fourD = new ArrayList<>();
            for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                if (e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 4) {
                    fourD.add(e.getKey());
                }
            }
            if (fourD.size() != 3) {
                throw new ModelException("teacher file " + file + " has " + fourD.size()
                        + " 4-D outputs; expected 3 feature maps at strides 4, 8 and 16");
            }
            OnnxTeacher probe = new OnnxTeacher(file, sha, env, session, input, fourD, null);
            FeatureMap[] maps = probe.run(new float[3 * PROBE_SIZE * PROBE_SIZE], PROBE_SIZE);
            Integer[] order = {0, 1, 2};
            Arrays.sort(order, Comparator.comparingInt(i -> -maps[i].height()));
            List<String> ordered = new ArrayList<>();
            int[] channels = new int[3];
            for (int level = 0; level < 3; level++) {
                FeatureMap m = maps[order[level]];
                int expected = PROBE_SIZE / STRIDES[level];
                if (m.height() != expected || m.width() != expected) {
                    throw new ModelException("teacher file " + file + ": output '" + fourD.get(order[level])
                            + "' is " + m.height() + "x" + m.width() + " for a " + PROBE_SIZE + "x" + PROBE_SIZE
                            + " input; expected strides 4, 8 and 16");
                }
                ordered.add(fourD.get(order[level]));
                channels[level] = m.channels();
            }
            return new OnnxTeacher(file, sha, env, session, input, List.copyOf(ordered), channels);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelException("teacher file " + file + " cannot be run by ONNX Runtime: " + e.getMessage(), e);
        } catch (ModelException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static String onlyInput(Path file, OrtSession session) throws OrtException, ModelException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new ModelException("teacher file " + file + " has " + inputs.size() + " inputs; expected one image input");
        }
        Map.Entry<String, NodeInfo> in = inputs.entrySet().iterator().next();
        if (!(in.getValue().getInfo() instanceof TensorInfo t) || t.getShape().length != 4
                || (t.getShape()[1] != 3 && t.getShape()[1] != -1)) {
            throw new ModelException("teacher file " + file + ": input '" + in.getKey()
                    + "' is not a [N, 3, H, W] image tensor");
        }
        return in.getKey();
    }

    /** Features of one preprocessed image ({@code 3 x size x size}, CHW), ordered by stride 4, 8, 16. */
    public FeatureMap[] extract(float[] tensor, int size) {
        try {
            return run(tensor, size);
        } catch (OrtException e) {
            throw new IllegalStateException("teacher " + file.getFileName() + " failed: " + e.getMessage(), e);
        }
    }

    private FeatureMap[] run(float[] tensor, int size) throws OrtException {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(tensor), new long[] {1, 3, size, size});
             OrtSession.Result result = session.run(Map.of(input, in), Set.copyOf(outputs))) {
            FeatureMap[] maps = new FeatureMap[outputs.size()];
            for (int i = 0; i < maps.length; i++) {
                OnnxValue v = result.get(outputs.get(i)).orElseThrow();
                OnnxTensor t = (OnnxTensor) v;
                long[] shape = t.getInfo().getShape();
                FloatBuffer buf = t.getFloatBuffer();
                float[] data = new float[buf.remaining()];
                buf.get(data);
                maps[i] = new FeatureMap((int) shape[1], (int) shape[2], (int) shape[3], data);
            }
            return maps;
        }
    }

    /** Channels per level (stride 4, 8, 16). */
    public int[] channels() {
        return channels.clone();
    }

    public Path file() {
        return file;
    }

    public String sha256() {
        return sha256;
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // nothing left to do for a session that fails to close
            }
        }
    }

    public static String sha256(Path file) throws ModelException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
