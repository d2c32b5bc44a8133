package io.dafedge.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.Npy;
import io.dafedge.model.Preprocessing;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;
import io.dafedge.synth.OutputFolders;
import io.dafedge.train.metrics.Auroc;
import io.dafedge.train.metrics.AveragePrecision;
import io.dafedge.train.metrics.Pro;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Scores every image of a category's {@code test/} with a detector and writes the report: {@code metrics.json},
 * {@code scores.csv}, every anomaly map as float32 {@code maps/<defect>/<stem>.npy} at the model's input size (the
 * resolution of the pixel metrics; masks are resized to it by nearest neighbour) and {@code contact_sheet.png}.
 */
public final class Evaluation {
    /** Tiles per row of the contact sheet. */
    static final int SHEET_COLUMNS = 6;

    public record Result(int images, List<String> skipped, Double imageAuroc, Double pixelAuroc, Double pixelAp,
                         Double pro, double msPerImage, Map<String, DefectMetrics> byDefect) {
    }

    /**
     * One defect type against the good: its images' scores against the good images' ({@code imageAuroc}), its defect
     * pixels against every normal pixel of the test set ({@code pixelAuroc}, null without masks). The overall pixel
     * metrics weigh each type by its area: on magnetic-tile the large "uneven" regions hold most defect pixels.
     */
    public record DefectMetrics(int images, Double imageAuroc, Double pixelAuroc) {
    }

    /** One scored test image; its map and mask live in the evaluation's pixel arrays at {@code offset}. */
    private record Scored(MvtecCategory.TestImage test, float score, int offset) {
    }

    /**
     * Every map and mask of the test set, one after the other: the pixel metrics read them as they are, so the
     * largest data of an evaluation is held once (580 images of 256x256 are 190 MB).
     */
    private static final class Pixels {
        final int plane;
        float[] scores;
        boolean[] truth;
        int used;

        Pixels(int images, int plane) {
            this.plane = plane;
            this.scores = new float[Math.multiplyExact(images, plane)];
            this.truth = new boolean[scores.length];
        }

        int add(float[] map, boolean[] mask) {
            int offset = used;
            System.arraycopy(map, 0, scores, offset, plane);
            if (mask != null) {
                System.arraycopy(mask, 0, truth, offset, plane);
            }
            used += plane;
            return offset;
        }

        /** Drops the room reserved for skipped images. */
        void trim() {
            if (used < scores.length) {
                scores = Arrays.copyOf(scores, used);
                truth = Arrays.copyOf(truth, used);
            }
        }

        float[] map(Scored s) {
            return Arrays.copyOfRange(scores, s.offset(), s.offset() + plane);
        }

        boolean[] mask(Scored s) {
            return Arrays.copyOfRange(truth, s.offset(), s.offset() + plane);
        }
    }

    private Evaluation() {
    }

    public static Result run(Detector detector, ModelBundle bundle, Path category, Path out, Consumer<String> log)
            throws IOException, DatasetException {
        List<MvtecCategory.TestImage> tests = MvtecCategory.testImages(category);
        boolean masks = MvtecCategory.hasMasks(category);
        Preprocessing pre = bundle.preprocessing();
        int size = pre.size();
        List<Scored> scored = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Pixels pixels = new Pixels(tests.size(), size * size);
        Result[] result = new Result[1];
        OutputFolders.writeAtomically(out, dir -> {
            long start = System.nanoTime();
            for (MvtecCategory.TestImage t : tests) {
                Image img;
                boolean[] mask = null;
                try {
                    img = ImageFiles.read(t.file());
                    if (t.mask() != null) { // only defects of a category with ground truth have one
                        mask = resizedMask(ImageFiles.read(t.mask()), size);
                    }
                } catch (ImageReadException e) {
                    skipped.add(e.getMessage());
                    log.accept("skipping " + e.getMessage());
                    continue;
                }
                AnomalyMap map = detector.score(img);
                Path npy = dir.resolve("maps").resolve(t.defect()).resolve(MvtecCategory.stem(t.file()) + ".npy");
                Files.createDirectories(npy.getParent());
                Npy.write(npy, new int[] {size, size}, map.values());
                scored.add(new Scored(t, map.score(), pixels.add(map.values(), mask)));
                log.accept(String.format(Locale.ROOT, "%d/%d %s %.4f", scored.size() + skipped.size(), tests.size(),
                        t.relative(), map.score()));
            }
            double ms = (System.nanoTime() - start) / 1e6 / Math.max(1, scored.size());
            pixels.trim();
            result[0] = metrics(scored, pixels, masks, skipped, ms);
            writeScores(dir.resolve("scores.csv"), scored);
            writeMetrics(dir.resolve("metrics.json"), result[0], bundle, category, size);
            ImageFiles.writePng(dir.resolve("contact_sheet.png"), sheet(scored, pixels, masks, pre));
        });
        return result[0];
    }

    private static Result metrics(List<Scored> scored, Pixels pixels, boolean masks, List<String> skipped, double ms) {
        float[] scores = new float[scored.size()];
        boolean[] labels = new boolean[scored.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = scored.get(i).score();
            labels[i] = scored.get(i).test().defective();
        }
        Double imageAuroc = finite(Auroc.of(scores, labels));
        Map<String, DefectMetrics> byDefect = byDefect(scored, scores, labels, pixels, masks);
        if (!masks || scored.isEmpty()) {
            return new Result(scored.size(), skipped, imageAuroc, null, null, null, ms, byDefect);
        }
        Pro.Builder pro = new Pro.Builder();
        int side = (int) Math.round(Math.sqrt(pixels.plane));
        for (Scored s : scored) {
            pro.add(pixels.map(s), pixels.mask(s), side, side);
        }
        return new Result(scored.size(), skipped, imageAuroc, finite(Auroc.of(pixels.scores, pixels.truth)),
                finite(AveragePrecision.of(pixels.scores, pixels.truth)), finite(pro.compute(Pro.MVTEC_MAX_FPR)), ms,
                byDefect);
    }

    private static Map<String, DefectMetrics> byDefect(List<Scored> scored, float[] scores, boolean[] labels,
                                                       Pixels pixels, boolean masks) {
        Map<String, DefectMetrics> byDefect = new TreeMap<>();
        List<String> defects = scored.stream().filter(s -> s.test().defective()).map(s -> s.test().defect())
                .distinct().sorted().toList();
        for (String defect : defects) {
            boolean[] ofDefect = new boolean[scored.size()];
            int images = 0;
            for (int k = 0; k < ofDefect.length; k++) {
                ofDefect[k] = scored.get(k).test().defective() && scored.get(k).test().defect().equals(defect);
                images += ofDefect[k] ? 1 : 0;
            }
            // pixels of image k sit at [k * plane, (k + 1) * plane), k in the order of scored
            Double pixel = masks ? finite(Auroc.of(pixels.scores, pixels.truth, i -> ofDefect[i / pixels.plane]))
                    : null;
            byDefect.put(defect, new DefectMetrics(images, finite(Auroc.of(scores, labels, k -> ofDefect[k])), pixel));
        }
        return byDefect;
    }

    private static Double finite(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static boolean[] resizedMask(Image mask, int size) {
        Image grey = mask.toChannels(1);
        Mat src = new Mat(grey.height, grey.width, CvType.CV_8UC1);
        Mat dst = new Mat();
        try {
            src.put(0, 0, grey.data);
            Imgproc.resize(src, dst, new Size(size, size), 0, 0, Imgproc.INTER_NEAREST);
            byte[] b = new byte[size * size];
            dst.get(0, 0, b);
            boolean[] out = new boolean[b.length];
            for (int i = 0; i < b.length; i++) {
                out[i] = (b[i] & 0xFF) > 127;
            }
            return out;
        } finally {
            src.release();
            dst.release();
        }
    }

    private static void writeScores(Path file, List<Scored> scored) throws IOException {
        StringBuilder csv = new StringBuilder("image,score,label\n");
        for (Scored s : scored) {
            csv.append(s.test().relative()).append(',').append(s.score()).append(',')
                    .append(s.test().defective() ? 1 : 0).append('\n');
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }

    private static void writeMetrics(Path file, Result r, ModelBundle bundle, Path category, int size) throws IOException {
        ObjectNode m = ModelBundle.JSON.createObjectNode();
        m.put("image_auroc", r.imageAuroc());
        m.put("pixel_auroc", r.pixelAuroc());
        m.put("pixel_ap", r.pixelAp());
        m.put("pro", r.pro());
        m.put("images", r.images());
        m.put("skipped", r.skipped().size());
        r.skipped().forEach(m.putArray("skipped_reasons")::add);
        m.put("resolution", size);
        ObjectNode byDefect = m.putObject("by_defect");
        r.byDefect().forEach((defect, d) -> {
            ObjectNode n = byDefect.putObject(defect);
            n.put("images", d.images());
            n.put("image_auroc", d.imageAuroc());
            n.put("pixel_auroc", d.pixelAuroc());
        });
        m.put("ms_per_image", Math.round(r.msPerImage() * 10) / 10.0);
        m.put("category", category.toAbsolutePath().normalize().toString());
        ObjectNode model = m.putObject("model");
        model.put("id", bundle.id());
        model.put("method", bundle.method());
        model.put("path", bundle.dir().toAbsolutePath().normalize().toString());
        ModelBundle.JSON.writeValue(file.toFile(), m);
    }

    /** The defects scored lowest (missed first) and the good images scored highest (false alarms first). */
    private static Image sheet(List<Scored> scored, Pixels pixels, boolean masks, Preprocessing pre) throws IOException {
        List<Scored> defects = scored.stream().filter(s -> s.test().defective())
                .sorted(Comparator.comparingDouble(Scored::score)).limit(SHEET_COLUMNS).toList();
        List<Scored> goods = scored.stream().filter(s -> !s.test().defective())
                .sorted(Comparator.comparingDouble(Scored::score).reversed()).limit(SHEET_COLUMNS).toList();
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : pixels.scores) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return ContactSheet.render(List.of("lowest-scored defects (misses first)", "highest-scored good images (false alarms first)"),
                List.of(tiles(defects, pixels, masks, pre), tiles(goods, pixels, masks, pre)), lo, hi);
    }

    private static List<ContactSheet.Tile> tiles(List<Scored> picked, Pixels pixels, boolean masks, Preprocessing pre)
            throws IOException {
        List<ContactSheet.Tile> tiles = new ArrayList<>();
        for (Scored s : picked) {
            try {
                tiles.add(new ContactSheet.Tile(pre.resized(ImageFiles.read(s.test().file())), pixels.map(s),
                        masks && s.test().defective() ? pixels.mask(s) : null,
                        String.format(Locale.ROOT, "%s %.3f", s.test().relative(), s.score())));
            } catch (ImageReadException e) {
                throw new IOException("test image became unreadable during evaluation: " + e.getMessage(), e);
            }
        }
        return tiles;
    }
}
