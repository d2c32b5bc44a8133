package io.dafedge.model.daf;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.Npy;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;

/**
 * A DAF model bundle: the network's configuration and the list of its parameters (name and shape, in order) in the
 * manifest, all parameter values concatenated in that order in {@code weights.npy}, and the teacher file the
 * student's structure is read from.
 */
public final class DafBundle {
    public static final String METHOD = "daf";
    static final String WEIGHTS = "weights";

    private DafBundle() {
    }

    /** Writes a trained network; {@code training} and {@code schedule} go into the manifest as they are. */
    public static ModelBundle write(DafNetwork network, OnnxTeacher teacher, Preprocessing pre, ObjectNode training,
                                    ObjectNode schedule, Path out) throws IOException {
        ModelBundle.Builder b = ModelBundle.builder(METHOD, pre, teacher);
        ObjectNode config = b.manifest().putObject("config");
        ArrayNode channels = config.putArray("channels");
        Arrays.stream(network.channels()).forEach(channels::add);
        config.put("normalisation", network.normalisation().name());
        config.put("decoder", "widths from the teacher channels; transposed conv k2 s2 as 1x1 conv + depth-to-space");
        ObjectNode scoring = config.putObject("scoring");
        scoring.put("map", "sum of channel-mean discrepancies upsampled bilinearly + 3 x segmentation, Gaussian blur");
        scoring.put("segmentation_weight", DafScoring.SEGMENTATION_WEIGHT);
        scoring.put("blur_sigma", DafScoring.BLUR_SIGMA);
        scoring.put("image_score_top_k", DafScoring.TOP_K);
        ArrayNode params = config.putArray("parameters");
        List<float[]> values = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, Parameter> p : network.parameters().entrySet()) {
            NDArray a = p.getValue().getArray();
            ObjectNode entry = params.addObject();
            entry.put("name", p.getKey());
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(a.getShape().getShape()).forEach(shape::add);
            float[] v = a.toFloatArray();
            values.add(v);
            total += v.length;
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] v : values) {
            System.arraycopy(v, 0, all, at, v.length);
            at += v.length;
        }
        b.array(WEIGHTS, new int[] {total}, all);
        b.manifest().set("training", training);
        b.manifest().set("schedule", schedule);
        return b.writeTo(out);
    }

    /**
     * The bundle's network with its trained weights, frozen for inference (no gradient is ever recorded). Refuses a
     * bundle whose parameter list does not match the network its teacher and configuration describe.
     */
    public static DafNetwork load(ModelBundle bundle, NDManager manager) throws ModelException {
        if (!METHOD.equals(bundle.method())) {
            throw new ModelException("bundle " + bundle.dir() + " holds a '" + bundle.method() + "' model, not '"
                    + METHOD + "'");
        }
        JsonNode config = bundle.manifest().path("config");
        Normalisation normalisation;
        try {
            normalisation = Normalisation.valueOf(config.path("normalisation").asText());
        } catch (IllegalArgumentException e) {
            throw new ModelException("bundle " + bundle.dir() + ": unknown normalisation '"
                    + config.path("normalisation").asText() + "'", e);
        }
        DafNetwork network = DafNetwork.create(bundle.dir().resolve(ModelBundle.TEACHER), normalisation, 0, manager);
        JsonNode listed = config.path("parameters");
        Map<String, Parameter> parameters = network.parameters();
        if (listed.size() != parameters.size()) {
            throw new ModelException("bundle " + bundle.dir() + " lists " + listed.size() + " parameters; its "
                    + "network has " + parameters.size());
        }
        Npy.Array weights = bundle.array(WEIGHTS);
        int at = 0;
        int i = 0;
        for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
            JsonNode entry = listed.get(i++);
            NDArray a = p.getValue().getArray();
            long[] shape = new long[entry.path("shape").size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = entry.path("shape").get(d).asLong();
            }
            if (!p.getKey().equals(entry.path("name").asText()) || !Arrays.equals(shape, a.getShape().getShape())) {
                throw new ModelException("bundle " + bundle.dir() + ": parameter " + entry + " does not match the "
                        + "network's " + p.getKey() + " " + a.getShape());
            }
            int n = (int) a.size();
            if (at + n > weights.data().length) {
                throw new ModelException("bundle " + bundle.dir() + ": " + WEIGHTS + ".npy is shorter than its "
                        + "parameter list");
            }
            a.set(FloatBuffer.wrap(Arrays.copyOfRange(weights.data(), at, at + n)));
            at += n;
        }
        if (at != weights.data().length) {
            throw new ModelException("bundle " + bundle.dir() + ": " + WEIGHTS + ".npy holds " + weights.data().length
                    + " values; its parameter list " + at);
        }
        network.freeze();
        return network;
    }
}
