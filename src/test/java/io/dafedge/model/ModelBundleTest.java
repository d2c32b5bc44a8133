package io.dafedge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    @TempDir
    Path tmp;

    static Path teacherFile() {
        Path shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
        return TestImages.teacher();
    }

    @Test
    void roundTripWithTeacherCopyAndManifest() throws Exception {
        Path dir = tmp.resolve("b");
        try (OnnxTeacher teacher = OnnxTeacher.open(teacherFile(), 1)) {
            ModelBundle.Builder b = ModelBundle.builder("padim", Preprocessing.imagenet(128), teacher);
            b.manifest().putObject("config").put("channels", 100);
            b.array("mean", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}).writeTo(dir);
        }
        ModelBundle bundle = ModelBundle.open(dir);
        assertEquals("padim", bundle.method());
        assertEquals(128, bundle.preprocessing().size());
        assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, bundle.preprocessing().mean());
        assertEquals(100, bundle.manifest().path("config").path("channels").asInt());
        assertEquals("mobilenetv2-float-from-int8_feat.onnx", bundle.manifest().path("teacher").path("file").asText());
        assertArrayEquals(new int[] {2, 3}, bundle.array("mean").shape());
        try (OnnxTeacher copy = bundle.openTeacher(1)) {
            assertArrayEquals(new int[] {24, 32, 96}, copy.channels());
        }
        assertEquals(0, leftovers(tmp), "no partial folder left behind");
    }

    @Test
    void refusesNewerFormatsMissingManifestsAndTamperedTeachers() throws Exception {
        Path dir = tmp.resolve("b");
        try (OnnxTeacher teacher = OnnxTeacher.open(teacherFile(), 1)) {
            ModelBundle.builder("padim", Preprocessing.imagenet(64), teacher).writeTo(dir);
        }
        Path manifest = dir.resolve(ModelBundle.MANIFEST);
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("\"format_version\" : 1", "\"format_version\" : 99"));
        ModelException e = assertThrows(ModelException.class, () -> ModelBundle.open(dir));
        assertTrue(e.getMessage().contains("format version 99") && e.getMessage().contains(manifest.toString()), e.getMessage());
        Files.writeString(manifest, text);

        Files.write(dir.resolve(ModelBundle.TEACHER), new byte[] {1, 2, 3});
        e = assertThrows(ModelException.class, () -> ModelBundle.open(dir).openTeacher(1));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());

        e = assertThrows(ModelException.class, () -> ModelBundle.open(tmp.resolve("nothing")));
        assertTrue(e.getMessage().contains("manifest.json is missing"), e.getMessage());
    }

    @Test
    void neverWritesIntoAFolderInUse() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(dir.resolve("x"), "keep");
        try (OnnxTeacher teacher = OnnxTeacher.open(teacherFile(), 1)) {
            assertThrows(IOException.class, () -> ModelBundle.builder("padim", Preprocessing.imagenet(64), teacher).writeTo(dir));
        }
        assertEquals("keep", Files.readString(dir.resolve("x")));
        assertFalse(Files.exists(dir.resolve(ModelBundle.MANIFEST)));
    }

    private static long leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".partial-")).count();
        }
    }
}
