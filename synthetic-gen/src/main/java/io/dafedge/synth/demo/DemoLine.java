package io.dafedge.synth.demo;

import java.util.Objects;
import java.util.SplittableRandom;

import io.dafedge.synth.Image;
import io.dafedge.synth.Mask;

/**
 * A simulated production line with its camera: procedural parts of one product, optionally with a defect and its
 * exact mask. Everything is a pure function of the seed, so a seed names a frame to the byte.
 */
public final class DemoLine {
    /** Below this side defects shrink to a couple of pixels and stop looking like anything. */
    public static final int MIN_SIDE = 64;
    /** Bounds the memory of one frame (a few float planes per pixel while drawing). */
    public static final int MAX_SIDE = 4096;
    private static final DemoDefect[] KINDS = DemoDefect.values();

    private final DemoProduct product;
    private final int width;
    private final int height;

    public DemoLine(DemoProduct product, int width, int height) {
        this.product = Objects.requireNonNull(product, "product");
        if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("demo frame " + width + "x" + height
                    + " is out of range: each side must be " + MIN_SIDE + ".." + MAX_SIDE + " px");
        }
        this.width = width;
        this.height = height;
    }

    public DemoProduct product() {
        return product;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** A defect-free part (RGB). */
    public Image good(long seed) {
        return part(new SplittableRandom(seed)).image;
    }

    /** {@code good(seed)} with one defect of the given kind; pixels outside the mask are exactly good(seed)'s. */
    public DemoSample defective(long seed, DemoDefect defect) {
        Objects.requireNonNull(defect, "defect");
        SplittableRandom root = new SplittableRandom(seed);
        Part part = part(root);
        return withDefect(part, root.nextLong(), defect);
    }

    /**
     * What the demo camera sees: a good part, or with probability {@code defectRate} (drawn from the seed) a part
     * with one defect of a random kind, identical to {@code defective(seed, kind)}.
     */
    public DemoSample frame(long seed, double defectRate) {
        if (!(defectRate >= 0 && defectRate <= 1)) {
            throw new IllegalArgumentException("defect rate must be in 0..1, got " + defectRate);
        }
        SplittableRandom root = new SplittableRandom(seed);
        Part part = part(root);
        // drawn in the same order as in defective(), so a defective frame is exactly defective(seed, kind)
        long defectSeed = root.nextLong();
        SplittableRandom frameRnd = root.split();
        if (frameRnd.nextDouble() >= defectRate) {
            return new DemoSample(part.image, new Mask(width, height), null);
        }
        DemoDefect kind = KINDS[frameRnd.nextInt(KINDS.length)];
        return withDefect(part, defectSeed, kind);
    }

    /**
     * Where on the frame of {@code seed} defects can appear: the whole frame for sheet goods, the machined faces
     * of a flange (not its bevels, holes or the belt).
     */
    public Mask partArea(long seed) {
        return part(new SplittableRandom(seed)).supportMask();
    }

    private static DemoSample withDefect(Part part, long defectSeed, DemoDefect kind) {
        // salted by kind, so the kinds drawn for one seed do not share their place and random shape
        SplittableRandom rnd = new SplittableRandom(defectSeed ^ kind.cliName().hashCode());
        return kind.painter().paint(part, rnd).compose(part, kind);
    }

    private Part part(SplittableRandom root) {
        Part part = product.renderer().render(width, height, root.split());
        Camera.expose(part.image, root.split());
        return part;
    }
}
