package io.dafedge.model.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.Npy;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.TestImages;
import io.dafedge.train.MvtecCategory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fitting on a few real images, the bundle round trip, and the refusals of bundles that do not fit. */
class BaselineBundleTest {
    private static final Preprocessing PRE = Preprocessing.imagenet(256);
    static Path teacherFile;
    static List<Path> train;
    static Image good;
    static Image defective;

    @TempDir
    Path tmp;

    @BeforeAll
    static void shared() throws Exception {
        Path shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
        teacherFile = TestImages.teacher();
        Path category = shared.resolve("datasets/piped-pa-bdp01-tl");
        train = MvtecCategory.trainImages(category).subList(0, 6);
        List<MvtecCategory.TestImage> tests = MvtecCategory.testImages(category);
        good = ImageFiles.read(tests.stream().filter(t -> !t.defective()).findFirst().orElseThrow().file());
        defective = ImageFiles.read(tests.stream().filter(MvtecCategory.TestImage::defective).findFirst().orElseThrow().file());
    }

    /** The training images plus an unreadable file, which must be skipped and counted. */
    private List<Path> trainWithJunk() throws Exception {
        List<Path> files = new ArrayList<>(train);
        files.add(Files.writeString(tmp.resolve("junk.png"), "not an image"));
        return files;
    }

    @Test
    void patchCoreBundleScoresExactlyAsTheFittedModel() throws Exception {
        List<String> log = new ArrayList<>();
        Path dir = tmp.resolve("patchcore");
        try (OnnxTeacher teacher = OnnxTeacher.open(teacherFile, 2)) {
            PatchCore model = PatchCore.learn(teacher, PRE, trainWithJunk(), 1, PatchCore.Options.DEFAULT, log::add);
            model.write(teacher, PRE, dir);
            JsonNode m = ModelBundle.open(dir).manifest();
            assertEquals("patchcore", m.path("method").asText());
            assertEquals(128, m.path("config").path("embedding").path("dim").asInt());
            assertEquals(6 * 32 * 32, m.path("training").path("patches").asInt());
            int bank = (int) Math.round(0.1 * 6 * 32 * 32);
            assertEquals(bank, m.path("training").path("bank").asInt());
            assertSkippedJunk(m, log);
            try (Detector fitted = model.detector(OnnxTeacher.open(teacherFile, 2), PRE, 2);
                 Detector loaded = PatchCore.load(ModelBundle.open(dir), 2)) {
                assertSameScores(fitted, loaded);
            }
            Npy.write(dir.resolve("memory_bank.npy"), new int[] {bank, 127}, new float[bank * 127]);
            ModelException e = assertThrows(ModelException.class, () -> PatchCore.load(ModelBundle.open(dir), 1));
            assertTrue(e.getMessage().contains("memory_bank.npy") && e.getMessage().contains("[" + bank + ", 127]"),
                    e.getMessage());
        }
    }

    @Test
    void padimBundleScoresExactlyAsTheFittedModelAndIsRefusedAsPatchCore() throws Exception {
        List<String> log = new ArrayList<>();
        Path dir = tmp.resolve("padim");
        try (OnnxTeacher teacher = OnnxTeacher.open(teacherFile, 2)) {
            Padim model = Padim.learn(teacher, PRE, trainWithJunk(), 1, log::add);
            model.write(teacher, PRE, dir);
            JsonNode m = ModelBundle.open(dir).manifest();
            assertEquals("padim", m.path("method").asText());
            assertEquals(100, m.path("config").path("embedding").path("channels").size());
            assertEquals(64 * 64, m.path("training").path("positions").asInt());
            assertSkippedJunk(m, log);
            try (Detector fitted = model.detector(OnnxTeacher.open(teacherFile, 2), PRE, 2);
                 Detector loaded = Padim.load(ModelBundle.open(dir), 2)) {
                assertSameScores(fitted, loaded);
            }
        }
        ModelException e = assertThrows(ModelException.class, () -> PatchCore.load(ModelBundle.open(dir), 1));
        assertTrue(e.getMessage().contains("'padim'") && e.getMessage().contains("'patchcore'"), e.getMessage());
    }

    @Test
    void fittingWithoutAnyReadableImageFailsNamingTheReason() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.jpg"), "not an image");
        try (OnnxTeacher teacher = OnnxTeacher.open(teacherFile, 1)) {
            ModelException e = assertThrows(ModelException.class,
                    () -> PatchCore.fit(teacher, PRE, List.of(junk), tmp.resolve("none"), 0, s -> { }));
            assertTrue(e.getMessage().contains("none of the 1 training images") && e.getMessage().contains("junk.jpg"),
                    e.getMessage());
        }
        assertTrue(Files.notExists(tmp.resolve("none")), "no bundle written");
    }

    private static void assertSkippedJunk(JsonNode manifest, List<String> log) {
        JsonNode t = manifest.path("training");
        assertEquals(6, t.path("images").asInt());
        assertEquals(1, t.path("skipped").asInt());
        assertEquals(1, t.path("seed").asInt());
        assertTrue(t.path("skipped_files").get(0).asText().contains("junk.png"), t.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("skipping") && l.contains("junk.png")), log.toString());
    }

    private static void assertSameScores(Detector fitted, Detector loaded) {
        assertEquals(256, loaded.inputSize());
        AnomalyMap goodMap = loaded.score(good);
        AnomalyMap defectMap = loaded.score(defective);
        assertArrayEquals(fitted.score(good).values(), goodMap.values());
        assertArrayEquals(fitted.score(defective).values(), defectMap.values());
        assertEquals(256 * 256, defectMap.values().length);
        assertTrue(defectMap.score() > goodMap.score(), "defect " + defectMap.score() + " vs good " + goodMap.score());
    }
}
