package io.dafedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.Npy;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.TestImages;
import io.dafedge.synth.demo.DemoDatasetWriter;
import io.dafedge.synth.demo.DemoProduct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation report, with a detector whose answers are known in advance. */
class EvaluationTest {
    private static final int SIZE = 64;

    @TempDir
    Path tmp;

    /** Scores each pixel by its distance from the image's median grey: defects on the demo line stand out. */
    static final class GreyDeviation implements Detector {
        private final Preprocessing pre = Preprocessing.imagenet(SIZE);

        @Override
        public AnomalyMap score(Image image) {
            Image rgb = pre.resized(image);
            float[] grey = new float[SIZE * SIZE];
            for (int i = 0; i < grey.length; i++) {
                grey[i] = Image.luma(rgb.data[i * 3] & 0xFF, rgb.data[i * 3 + 1] & 0xFF, rgb.data[i * 3 + 2] & 0xFF);
            }
            float[] sorted = grey.clone();
            java.util.Arrays.sort(sorted);
            float median = sorted[sorted.length / 2];
            float[] map = new float[grey.length];
            float max = 0;
            for (int i = 0; i < map.length; i++) {
                map[i] = Math.abs(grey[i] - median);
                max = Math.max(max, map[i]);
            }
            return new AnomalyMap(SIZE, SIZE, map, max);
        }

        @Override
        public int inputSize() {
            return SIZE;
        }

        @Override
        public void close() {
        }
    }

    private ModelBundle bundle() throws Exception {
        Path shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
        try (OnnxTeacher t = OnnxTeacher.open(TestImages.teacher(), 1)) {
            return ModelBundle.builder("grey-deviation", Preprocessing.imagenet(SIZE), t).writeTo(tmp.resolve("bundle"));
        }
    }

    @Test
    void writesMetricsScoresMapsAndSheet() throws Exception {
        Path data = tmp.resolve("demo");
        DemoDatasetWriter.write(data, DemoProduct.BRUSHED_METAL, 16, 1, 96);
        Files.writeString(data.resolve("test/good/zz-corrupt.png"), "not an image");
        Path out = tmp.resolve("report");
        List<String> log = new ArrayList<>();
        Evaluation.Result r;
        try (Detector d = new GreyDeviation()) {
            r = Evaluation.run(d, bundle(), data, out, log::add);
        }
        int tests = 4 + 4 * 2; // 16/4 good and 16/8 per each of the four defects
        assertEquals(tests, r.images());
        assertEquals(1, r.skipped().size());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("skipping") && l.contains("zz-corrupt.png")), log.toString());

        JsonNode m = ModelBundle.JSON.readTree(out.resolve("metrics.json").toFile());
        for (String key : new String[] {"image_auroc", "pixel_auroc", "pixel_ap", "pro"}) {
            assertTrue(m.get(key).isNumber(), key + " in " + m);
            assertTrue(m.get(key).asDouble() >= 0 && m.get(key).asDouble() <= 1, key);
        }
        assertEquals(1, m.get("skipped").asInt());
        assertEquals("grey-deviation", m.path("model").path("method").asText());

        List<String> csv = Files.readAllLines(out.resolve("scores.csv"));
        assertEquals("image,score,label", csv.get(0));
        assertEquals(tests + 1, csv.size());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("crack/000.png,")), csv.toString());
        assertTrue(csv.stream().filter(l -> l.startsWith("good/")).allMatch(l -> l.endsWith(",0")));
        assertTrue(csv.stream().filter(l -> l.startsWith("dent/")).allMatch(l -> l.endsWith(",1")));
        assertEquals(pairCountingAuroc(csv.subList(1, csv.size())), m.get("image_auroc").asDouble(), 1e-9,
                "metrics.json agrees with scores.csv");
        JsonNode byDefect = m.get("by_defect");
        assertEquals(List.of("crack", "dent", "scratch", "stain"), names(byDefect.fieldNames()));
        for (String defect : names(byDefect.fieldNames())) {
            JsonNode d = byDefect.get(defect);
            assertEquals(2, d.get("images").asInt(), defect);
            List<String> rows = csv.stream().filter(l -> l.startsWith("good/") || l.startsWith(defect + "/")).toList();
            assertEquals(pairCountingAuroc(rows), d.get("image_auroc").asDouble(), 1e-9, defect + " against the good");
            assertTrue(d.get("pixel_auroc").asDouble() >= 0 && d.get("pixel_auroc").asDouble() <= 1, defect);
            assertEquals(r.byDefect().get(defect).pixelAuroc(), d.get("pixel_auroc").asDouble(), 0.0);
        }

        Npy.Array map = Npy.read(out.resolve("maps/crack/000.npy"));
        assertEquals(SIZE, map.shape()[0]);
        assertEquals(SIZE, map.shape()[1]);
        Image sheet = ImageFiles.read(out.resolve("contact_sheet.png"));
        assertTrue(sheet.width > 4 * SIZE && sheet.height > 2 * SIZE);
    }

    private static List<String> names(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    /** Mann-Whitney by counting every (defect, good) pair, ties one half. */
    private static double pairCountingAuroc(List<String> rows) {
        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        for (String row : rows) {
            String[] f = row.split(",");
            (f[2].equals("1") ? pos : neg).add(Double.parseDouble(f[1]));
        }
        double wins = 0;
        for (double p : pos) {
            for (double n : neg) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / (pos.size() * neg.size());
    }

    @Test
    void aCategoryWithoutMasksHasNoPixelMetrics() throws Exception {
        Path data = tmp.resolve("demo");
        DemoDatasetWriter.write(data, DemoProduct.WOOD, 8, 2, 64);
        try (var s = Files.walk(data.resolve("ground_truth"))) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        try (Detector d = new GreyDeviation()) {
            Evaluation.Result r = Evaluation.run(d, bundle(), data, tmp.resolve("report"), l -> { });
            assertTrue(r.imageAuroc() != null);
            assertEquals(null, r.pixelAuroc());
            assertEquals(null, r.pro());
        }
        JsonNode m = ModelBundle.JSON.readTree(tmp.resolve("report/metrics.json").toFile());
        assertTrue(m.get("pro").isNull() && m.get("pixel_ap").isNull());
    }
}
