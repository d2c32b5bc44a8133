package io.dafedge.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.dafedge.model.ModelBundle;
import io.dafedge.model.daf.DafOnnxExport;
import io.dafedge.model.onnx.OnnxWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Writes a DAF bundle's whole inference (normalisation, teacher, student, decoder, scoring) as "
                + "one standard ONNX model, operator set 17. Input 'image' [N, 3, S, S]: RGB in [0, 1], resized to the "
                + "bundle's side S; outputs 'anomaly_map' [N, 1, S, S] and 'score' [N]. Details in the model's "
                + "description (doc_string).")
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "BUNDLE_DIR", description = "DAF model bundle.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "New ONNX file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelBundle bundle = ModelBundle.open(model);
        if (Files.exists(out)) {
            return refuse(out + " exists; choose a new file name");
        }
        long start = System.nanoTime();
        OnnxWriter onnx = DafOnnxExport.model(bundle);
        try {
            onnx.write(out);
        } catch (IOException e) {
            return refuse("cannot write " + out + ": " + e);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%.1f MB, ONNX operator set %d) from %s bundle %s "
                        + "in %.1f s%n", out, Files.size(out) / 1e6, onnx.opset(), bundle.method(), bundle.id(),
                (System.nanoTime() - start) / 1e9);
        return CliExit.OK;
    }

    /** An unusable output is bad input like an unusable bundle: one line and exit code 2. */
    private int refuse(String message) {
        spec.commandLine().getErr().println(spec.commandLine().getColorScheme().errorText("error: " + message));
        return CliExit.BAD_INPUT;
    }
}
