package io.dafedge.model.daf;

import java.util.List;
import java.util.Locale;

import ai.djl.ndarray.NDManager;
import io.dafedge.Version;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.djl.Djl;
import io.dafedge.model.djl.OnnxNetwork;
import io.dafedge.model.onnx.OnnxGraphBuilder;
import io.dafedge.model.onnx.OnnxValueInfo.Dim;
import io.dafedge.model.onnx.OnnxWriter;

/**
 * A DAF bundle's whole inference as one standard ONNX model (operator set 17), so that any ONNX runtime computes
 * what {@link DafDetector#score} does without daf-edge: the mean/std normalisation, the teacher (the bundle's
 * teacher file, its feature part), the student with the bundle's weights, the three discrepancy maps, fusion and
 * decoder, and the scoring (map and image score). Every part is written by the code that computes it in daf-edge
 * ({@code export} beside {@code forward}, {@code map} and {@code score}), op for op.
 *
 * <p>Input {@value #IMAGE}: float {@code [N, 3, S, S]}, RGB in [0, 1] (8-bit value / 255) already resized to the
 * bundle's side S as {@link Preprocessing#resized} does; resampling stays outside the graph because OpenCV's area
 * averaging on 8-bit pixels has no ONNX operator. Outputs {@value #MAP} {@code [N, 1, S, S]} and {@value #SCORE}
 * {@code [N]}.
 */
public final class DafOnnxExport {
    public static final long OPSET = 17;
    public static final String IMAGE = "image";
    public static final String MAP = "anomaly_map";
    public static final String SCORE = "score";

    private DafOnnxExport() {
    }

    /** The model of a DAF bundle, ready to write; refuses other methods and unusable bundles. */
    public static OnnxWriter model(ModelBundle bundle) throws ModelException {
        if (!DafBundle.METHOD.equals(bundle.method())) {
            throw new ModelException("bundle " + bundle.dir() + " holds a '" + bundle.method() + "' model: only DAF "
                    + "bundles can be exported to ONNX");
        }
        Preprocessing pre = bundle.preprocessing();
        int size = pre.size();
        try (NDManager manager = Djl.newManager()) {
            OnnxNetwork teacher = OnnxNetwork.teacher(bundle.teacherFile(), manager);
            DafNetwork network = DafBundle.load(bundle, manager);
            OnnxWriter writer = new OnnxWriter("daf", OPSET).producer("daf-edge", Version.get())
                    .docString(description(bundle, pre, network.normalisation()))
                    .metadata("daf_edge.bundle_id", bundle.id())
                    .metadata("daf_edge.method", DafBundle.METHOD)
                    .metadata("daf_edge.input_size", Integer.toString(size))
                    .metadata("daf_edge.teacher_sha256", bundle.manifest().path("teacher").path("sha256").asText());
            Dim n = Dim.symbolic("N");
            Dim side = Dim.of(size);
            String image = writer.input(IMAGE, List.of(n, Dim.of(3), side, side));
            OnnxGraphBuilder g = new OnnxGraphBuilder(writer);
            long[] perChannel = {1, 3, 1, 1};
            String centred = g.op("Sub", "input/centred",
                    List.of(image, g.floats("input/mean", perChannel, pre.mean())));
            String normalised = g.op("Div", "input/normalised",
                    List.of(centred, g.floats("input/std", perChannel, pre.std())));
            List<String> features = teacher.export(g.scope("teacher"), normalised);
            DafNetwork.Exported out = network.export(g, normalised, size, features);
            DafScoring.export(g, out.discrepancies(), out.segmentation(), size, MAP, SCORE);
            writer.output(MAP, List.of(n, Dim.of(1), side, side));
            writer.output(SCORE, List.of(n));
            return writer;
        }
    }

    private static String description(ModelBundle bundle, Preprocessing pre, Normalisation normalisation) {
        int s = pre.size();
        return String.format(Locale.ROOT, "daf-edge DAF model %s (teacher %s, normalisation %s), exported by "
                        + "daf-edge %s.%n"
                        + "Input '%s': float32 [N, 3, %d, %d], RGB, values in [0, 1] (8-bit value / 255), resized to "
                        + "%d x %d beforehand as daf-edge does (area averaging when shrinking, bilinear when "
                        + "enlarging; grey replicated to RGB). The graph normalises with mean (%s, %s, %s) and "
                        + "std (%s, %s, %s) itself.%n"
                        + "Output '%s': float32 [N, 1, %d, %d], the anomaly map: channel means of the three "
                        + "teacher-student discrepancies upsampled bilinearly, plus %s x the decoder's segmentation "
                        + "map, Gaussian-blurred (sigma %s, borders mirrored with the edge pixel repeated).%n"
                        + "Output '%s': float32 [N], the image score: mean of the %d largest map values.",
                bundle.id(), bundle.manifest().path("teacher").path("file").asText(), normalisation,
                Version.get(), IMAGE, s, s, s, s, pre.mean()[0], pre.mean()[1], pre.mean()[2], pre.std()[0],
                pre.std()[1], pre.std()[2], MAP, s, s, DafScoring.SEGMENTATION_WEIGHT, DafScoring.BLUR_SIGMA,
                SCORE, DafScoring.TOP_K);
    }
}
