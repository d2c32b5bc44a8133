package io.dafedge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.Mask;
import io.dafedge.synth.StrategyMix;
import io.dafedge.synth.SynthRun;
import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The synth command end to end: arguments in, files on disk out, read back and checked. */
class SynthCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path inputWithMixedImages() throws IOException {
        Path in = tmp.resolve("in");
        ImageFiles.writePng(in.resolve("a-rgb.png"), TestImages.surface(120, 90, 3, 1));
        ImageFiles.writePng(in.resolve("b-grey.png"), TestImages.surface(64, 64, 1, 2));
        ImageFiles.writePng(in.resolve("c-rgba.png"), TestImages.surface(50, 70, 4, 3));
        Files.writeString(in.resolve("d-corrupt.jpg"), "not an image at all");
        ImageFiles.writePng(in.resolve("e-tiny.png"), TestImages.surface(8, 8, 3, 4));
        return in;
    }

    @Test
    void roundTripWritesImagesMasksAndManifestAndReportsBadInputs() throws Exception {
        Path in = inputWithMixedImages();
        Path out = tmp.resolve("out");
        Run r = run("synth", "--input", in.toString(), "--out", out.toString(),
                "--strategy", String.join(",", StrategyMix.names()), "--count", "24", "--seed", "5");
        assertEquals(CliExit.PARTIAL, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("d-corrupt.jpg") && r.err().contains("not a decodable image"), r.err());
        assertTrue(r.err().contains("e-tiny.png") && r.err().contains("too small"), r.err());
        assertTrue(r.out().contains("wrote 24 samples"), r.out());

        List<String> lines = Files.readAllLines(out.resolve(SynthRun.MANIFEST));
        assertEquals("image,mask,source,strategy,seed", lines.get(0));
        assertEquals(25, lines.size());
        Set<String> strategies = StrategyMix.names().stream().collect(Collectors.toSet());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals(5, f.length, line);
            Path source = Path.of(f[2]);
            assertTrue(source.startsWith(in), "source is the path as read: " + line);
            assertTrue(strategies.contains(f[3]), line);
            Long.parseLong(f[4]);
            Image src = ImageFiles.read(source);
            Image img = ImageFiles.read(out.resolve(f[0]));
            Image mask = ImageFiles.read(out.resolve(f[1]));
            assertEquals(src.width, img.width);
            assertEquals(src.height, img.height);
            assertEquals(src.channels, img.channels, "channels kept: " + line);
            assertEquals(1, mask.channels);
            assertEquals(src.width, mask.width);
            int changed = 0;
            for (int i = 0; i < src.pixels(); i++) {
                boolean inMask = mask.data[i] != 0;
                for (int c = 0; c < src.channels; c++) {
                    int o = i * src.channels + c;
                    if (src.data[o] != img.data[o]) {
                        assertTrue(inMask, "changed pixel outside the mask in " + line);
                        changed++;
                    }
                }
            }
            assertTrue(changed > 0, line);
        }
    }

    @Test
    void sameSeedSameBytesOnDisk() throws Exception {
        Path in = inputWithMixedImages();
        String[] common = {"--input", in.toString(), "--strategy", "perlin-texture:2,simple,cutpaste-scar", "--count", "9", "--seed", "77"};
        run(concat(new String[] {"synth", "--out", tmp.resolve("a").toString()}, common));
        run(concat(new String[] {"synth", "--out", tmp.resolve("b").toString()}, common));
        for (Path f : files(tmp.resolve("a"))) {
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(tmp.resolve("b").resolve(tmp.resolve("a").relativize(f))), f.toString());
        }
    }

    @Test
    void clearErrorsForEmptyInputNonEmptyOutputAndUnknownStrategy() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Run r = run("synth", "--input", empty.toString(), "--out", tmp.resolve("o1").toString());
        assertEquals(CliExit.FAILED, r.exit());
        assertTrue(r.err().contains("is empty"), r.err());

        Path in = inputWithMixedImages();
        Path used = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(used.resolve("keep.txt"), "x");
        r = run("synth", "--input", in.toString(), "--out", used.toString());
        assertEquals(CliExit.FAILED, r.exit());
        assertTrue(r.err().contains("not empty"), r.err());
        assertEquals("x", Files.readString(used.resolve("keep.txt")));

        r = run("synth", "--input", in.toString(), "--out", tmp.resolve("o2").toString(), "--strategy", "blobs");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown strategy 'blobs'"), r.err());

        r = run("synth", "--out", tmp.resolve("o3").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--input"), r.err());
    }

    @Test
    void everySubcommandHasHelp() {
        for (String[] args : new String[][] {{"--help"}, {"serve", "--help"}, {"synth", "--help"}, {"synth", "demo-line", "--help"}}) {
            Run r = run(args);
            assertEquals(0, r.exit(), String.join(" ", args));
            assertTrue(r.out().startsWith("Usage: daf-edge"), r.out());
        }
    }

    @Test
    void demoLineWritesAnMvtecCategory() throws Exception {
        Path out = tmp.resolve("demo");
        Run r = run("synth", "demo-line", "--out", out.toString(), "--count", "8", "--seed", "3", "--size", "96");
        assertEquals(CliExit.OK, r.exit(), r.err());
        assertEquals(8, files(out.resolve("train/good")).size());
        assertEquals(2, files(out.resolve("test/good")).size());
        for (String defect : new String[] {"scratch", "dent", "stain", "crack"}) {
            List<Path> images = files(out.resolve("test").resolve(defect));
            assertEquals(1, images.size(), defect);
            String stem = images.get(0).getFileName().toString().replace(".png", "");
            Image mask = ImageFiles.read(out.resolve("ground_truth").resolve(defect).resolve(stem + "_mask.png"));
            assertEquals(96, mask.width);
        }
        r = run("synth", "demo-line", "--out", tmp.resolve("demo2").toString(), "--product", "teapot");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown demo product 'teapot'"), r.err());
    }

    @Test
    void onTheRealMagneticTileTrainingSet() throws Exception {
        Path shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
        Path in = shared.resolve("datasets/magnetic-tile/train/good");
        Path out = tmp.resolve("tile");
        Run r = run("synth", "--input", in.toString(), "--out", out.toString(), "--strategy", "perlin-texture,cutpaste,simple",
                "--count", "30", "--seed", "1");
        assertEquals(CliExit.OK, r.exit(), r.err());
        List<String> lines = Files.readAllLines(out.resolve(SynthRun.MANIFEST));
        assertEquals(31, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            Image img = ImageFiles.read(out.resolve(f[0]));
            assertEquals(1, img.channels, "magnetic tile is grey and stays grey");
            Mask mask = new Mask(img.width, img.height);
            System.arraycopy(ImageFiles.read(out.resolve(f[1])).data, 0, mask.data, 0, mask.data.length);
            assertTrue(mask.area() > 0, line);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
