package io.dafedge.synth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Sources for the generator's tests: a textured surface made here, and the shared real datasets when present. */
public final class TestImages {
    private TestImages() {
    }

    /** A surface with fine grain, a lighting gradient and some colour, so every strategy has texture to work on. */
    public static Image surface(int width, int height, int channels, long seed) {
        Perlin p = new Perlin(new SplittableRandom(seed));
        Image img = new Image(width, height, channels);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float n = p.fbm(x / 16f, y / 16f, 4);
                int base = 90 + (int) (60f * x / width) + (int) (80 * n);
                for (int c = 0; c < channels; c++) {
                    img.set(x, y, c, c == 3 ? 200 + (x + y) % 56 : base + 12 * c);
                }
            }
        }
        return img;
    }

    /**
     * ../shared beside the project (the surefire configuration passes its path), or null when absent on a
     * developer's machine. CI always has it, so there its absence fails instead of silently skipping tests.
     */
    public static Path shared() {
        Path p = Path.of(System.getProperty("test.shared-dir", "../shared"));
        if (Files.isDirectory(p.resolve("datasets"))) {
            return p;
        }
        if (System.getenv("CI") != null) {
            throw new IllegalStateException("CI run without the shared datasets at " + p.toAbsolutePath());
        }
        return null;
    }

    /** The shared MobileNetV2 teacher; the calling test is skipped (an assumption fails) without ../shared. */
    public static Path teacher() {
        Path s = shared();
        org.junit.jupiter.api.Assumptions.assumeTrue(s != null, "../shared not present");
        return s.resolve("models/mobilenetv2-float-from-int8_feat.onnx");
    }
}
