package io.dafedge.cli;

import static io.dafedge.cli.SynthCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.model.daf.DafBundle;
import io.dafedge.model.daf.DafNetwork;
import io.dafedge.model.daf.Normalisation;
import io.dafedge.model.djl.Djl;
import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export on a DAF bundle, and its refusals: each ends with exit code 2, a message naming the cause, no file. */
class ExportCommandTest {
    @TempDir
    Path tmp;

    Path bundle;
    Path out;

    @BeforeEach
    void dafBundle() throws Exception {
        Path shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
        Path teacherFile = TestImages.teacher();
        bundle = tmp.resolve("daf");
        try (NDManager m = Djl.newManager(); OnnxTeacher teacher = OnnxTeacher.open(teacherFile, 1)) {
            DafBundle.write(DafNetwork.create(teacherFile, Normalisation.MIN_MAX, 1, m), teacher,
                    Preprocessing.imagenet(96), ModelBundle.JSON.createObjectNode(), ModelBundle.JSON.createObjectNode(),
                    bundle);
        }
        out = Files.createDirectories(tmp.resolve("out"));
    }

    @Test
    void writesOneOnnxFileThatOnnxRuntimeOpensAndRefusesToOverwriteIt() throws Exception {
        Path file = out.resolve("daf.onnx");
        SynthCommandTest.Run r = run("export", "--model", bundle.toString(), "--out", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("wrote " + file) && r.out().contains("operator set 17"), r.out());
        assertEquals(List.of(file), listing(out), "no temporary file left");
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
             OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), opts)) {
            assertEquals(List.of("image"), List.copyOf(session.getInputNames()));
            assertEquals(List.of("anomaly_map", "score"), List.copyOf(session.getOutputNames()));
            assertTrue(session.getMetadata().getDescription().contains("RGB, values in [0, 1]"));
            assertEquals(ModelBundle.open(bundle).id(), session.getMetadata().getCustomMetadata()
                    .get("daf_edge.bundle_id"));
        }

        byte[] written = Files.readAllBytes(file);
        r = run("export", "--model", bundle.toString(), "--out", file.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(file + " exists"), r.err());
        assertArrayEquals(written, Files.readAllBytes(file), "left as it was");
    }

    @Test
    void refusesOtherMethodsMissingOrCorruptBundlesAndUnwritableOutputs() throws Exception {
        Path file = out.resolve("x.onnx");
        Path padim = copy(bundle, "padim");
        Path manifest = padim.resolve(ModelBundle.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace("\"method\" : \"daf\"", "\"method\" : \"padim\""));
        assertRefused(run("export", "--model", padim.toString(), "--out", file.toString()),
                "holds a 'padim' model: only DAF bundles can be exported");

        assertRefused(run("export", "--model", tmp.resolve("nowhere").toString(), "--out", file.toString()),
                "manifest.json is missing");

        Path truncated = copy(bundle, "truncated");
        Path weights = truncated.resolve("weights.npy");
        Files.write(weights, Arrays.copyOf(Files.readAllBytes(weights), 1000));
        assertRefused(run("export", "--model", truncated.toString(), "--out", file.toString()), "weights.npy");

        Path tampered = copy(bundle, "tampered");
        Files.write(tampered.resolve(ModelBundle.TEACHER), new byte[] {1, 2, 3});
        assertRefused(run("export", "--model", tampered.toString(), "--out", file.toString()), "SHA-256");

        Path notAFolder = Files.writeString(out.resolve("plain-file"), "x");
        SynthCommandTest.Run r = run("export", "--model", bundle.toString(), "--out",
                notAFolder.resolve("x.onnx").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("cannot write " + notAFolder.resolve("x.onnx")), r.err());
        assertEquals(List.of(notAFolder), listing(out), "nothing written");
    }

    private void assertRefused(SynthCommandTest.Run r, String message) throws IOException {
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(List.of(), listing(out), "nothing written");
    }

    private Path copy(Path dir, String name) throws IOException {
        Path copy = Files.createDirectories(tmp.resolve(name));
        for (Path f : listing(dir)) {
            Files.copy(f, copy.resolve(f.getFileName()));
        }
        return copy;
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
