package io.dafedge.cli;

import static io.dafedge.cli.SynthCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dafedge.kernels.QuantConv1x1;
import io.dafedge.model.Detectors;
import io.dafedge.model.ModelBundle;
import io.dafedge.synth.TestImages;
import io.dafedge.synth.demo.DemoDatasetWriter;
import io.dafedge.synth.demo.DemoProduct;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train and eval end to end on a small demo-line category, and their refusals of bad input. */
class ModelCommandsTest {
    @TempDir
    Path tmp;

    Path teacher;
    Path data;

    @BeforeEach
    void setUp() throws Exception {
        Path shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
        teacher = TestImages.teacher();
        data = tmp.resolve("flange");
        DemoDatasetWriter.write(data, DemoProduct.FLANGE, 16, 4, 128);
    }

    @Test
    void trainThenEvalForBothBaselines() throws Exception {
        for (String method : new String[] {"padim", "patchcore"}) {
            Path bundle = tmp.resolve(method);
            SynthCommandTest.Run r = run("train", "--method", method, "--data", data.toString(), "--out", bundle.toString(),
                    "--teacher", teacher.toString(), "--size", "128");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("wrote " + method + " bundle"), r.out());
            assertEquals(method, ModelBundle.open(bundle).method());

            Path report = tmp.resolve(method + "-eval");
            r = run("eval", "--model", bundle.toString(), "--data", data.toString(), "--out", report.toString(), "--quiet");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("image_auroc"), r.out());
            for (String f : new String[] {"metrics.json", "scores.csv", "contact_sheet.png", "maps/scratch/000.npy"}) {
                assertTrue(Files.exists(report.resolve(f)), f);
            }
        }
    }

    @Test
    void trainDafForAnEpochThenEval() throws Exception {
        Path bundle = tmp.resolve("daf");
        SynthCommandTest.Run r = run("train", "--data", data.toString(), "--out", bundle.toString(), "--teacher",
                teacher.toString(), "--size", "128", "--epochs", "2", "--batch", "4", "--crop", "96",
                "--strategy", "simple,cutpaste");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("wrote daf bundle"), r.out());
        assertTrue(r.err().contains("epoch 2/2.0") && r.err().contains("samples/s") && r.err().contains("ETA"),
                "progress bar: " + r.err());
        ModelBundle b = ModelBundle.open(bundle);
        assertEquals("daf", b.method());
        assertEquals(8, b.manifest().path("training").path("steps").asInt(), "16 images, batch 4, 2 epochs");
        assertEquals(96, b.manifest().path("training").path("crop").asInt());
        assertEquals("simple,cutpaste", b.manifest().path("training").path("strategy").asText());
        assertEquals("AdamW", b.manifest().path("schedule").path("optimizer").asText());

        Path report = tmp.resolve("daf-eval");
        r = run("eval", "--model", bundle.toString(), "--data", data.toString(), "--out", report.toString(), "--quiet");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(report.resolve("maps/scratch/000.npy")));

        // the bench on it: the appliance's configuration (teacher blocks in INT8 where the CPU has VNNI) is the one
        // speedup_vs_onnxruntime is about
        r = run("bench", "--model", bundle.toString(), "--rounds", "2", "--warmup", "1", "--stages", "3", "--json",
                "--backends", "onnxruntime-dense,compiled-pruned,compiled-pruned-int8");
        assertEquals(0, r.exit(), r.err());
        JsonNode bench = new ObjectMapper().readTree(r.out());
        boolean int8 = QuantConv1x1.Path.forNetworks() != null;
        String appliance = int8 ? "compiled-pruned-int8" : "compiled-pruned";
        assertEquals(appliance, bench.path("speedup_backend").asText(), r.out());
        assertEquals(bench.path("ms_per_frame").path("onnxruntime-dense").asDouble()
                / bench.path("ms_per_frame").path(appliance).asDouble(),
                bench.path("speedup_vs_onnxruntime").asDouble(), 1e-9);
        assertEquals(int8, bench.path("ms_per_frame").has("compiled-pruned-int8"), r.out());
        assertTrue(bench.path("parts").size() > 0 && bench.path("stages").size() > 0, r.out());
        // generated kernels for the bundle's sparse-packed convolutions where the appliance builds them
        assertEquals(int8 && Detectors.kernelCache(ModelBundle.open(bundle)) != null,
                bench.path("generated_kernels").asText().contains("on generated kernels"), r.out());

        r = run("train", "--data", data.toString(), "--out", tmp.resolve("x").toString(), "--teacher",
                teacher.toString(), "--size", "64", "--epochs", "1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--size must be at least 96"), r.err());
        r = run("train", "--method", "padim", "--data", data.toString(), "--out", tmp.resolve("x").toString(),
                "--teacher", teacher.toString(), "--minutes", "1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("for --method daf"), r.err());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void badInputEndsWithExitCode2AndNamesTheFile() throws Exception {
        SynthCommandTest.Run r = run("train", "--method", "padim", "--data", tmp.resolve("nowhere").toString(),
                "--out", tmp.resolve("b").toString(), "--teacher", teacher.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("nowhere"), r.err());

        Path notOnnx = Files.writeString(tmp.resolve("teacher.onnx"), "nope");
        r = run("train", "--method", "padim", "--data", data.toString(), "--out", tmp.resolve("b").toString(),
                "--teacher", notOnnx.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("teacher.onnx"), r.err());
        assertFalse(Files.exists(tmp.resolve("b")), "nothing half-written");

        r = run("eval", "--model", tmp.resolve("no-bundle").toString(), "--data", data.toString(),
                "--out", tmp.resolve("e").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("manifest.json is missing"), r.err());
    }
}
