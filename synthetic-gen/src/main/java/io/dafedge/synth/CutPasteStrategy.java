package io.dafedge.synth;

import java.util.SplittableRandom;

/**
 * CutPaste (Li et al., CVPR 2021): a piece of the image itself, colour-jittered, pasted elsewhere. Either a
 * rectangular patch (2-15 % of the area, aspect ratio 0.3-3.3) or a thin "scar" (2-16 x 10-25 px at 256 px,
 * scaled to the image, rotated by -45..45 degrees).
 */
public final class CutPasteStrategy implements AnomalyStrategy {
    public static final String PATCH = "cutpaste";
    public static final String SCAR = "cutpaste-scar";
    private final boolean scar;

    public CutPasteStrategy(boolean scar) {
        this.scar = scar;
    }

    @Override
    public String name() {
        return scar ? SCAR : PATCH;
    }

    @Override
    public void draw(Image target, Mask mask, SplittableRandom rnd) {
        int w = target.width;
        int h = target.height;
        int pw;
        int ph;
        double angle = 0;
        if (scar) {
            double scale = Math.min(w, h) / 256.0;
            pw = Math.max(1, (int) Math.round((2 + rnd.nextInt(15)) * scale));
            ph = Math.max(3, (int) Math.round((10 + rnd.nextInt(16)) * scale));
            angle = Math.toRadians(rnd.nextDouble() * 90 - 45);
        } else {
            double area = w * h * (0.02 + rnd.nextDouble() * 0.13);
            double logRatio = StrictMath.log(0.3) + rnd.nextDouble() * (StrictMath.log(3.3) - StrictMath.log(0.3));
            double ratio = StrictMath.exp(logRatio);
            pw = (int) Math.max(1, Math.min(w - 1, Math.round(Math.sqrt(area * ratio))));
            ph = (int) Math.max(1, Math.min(h - 1, Math.round(Math.sqrt(area / ratio))));
        }
        pw = Math.min(pw, w);
        ph = Math.min(ph, h);
        Image patch = target.crop(rnd.nextInt(w - pw + 1), rnd.nextInt(h - ph + 1), pw, ph);
        jitter(patch, rnd);
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        // paste centred at a random point where the whole (rotated) piece lies inside the image, as CutPaste does
        double ex = (Math.abs(cos) * pw + Math.abs(sin) * ph) / 2;
        double ey = (Math.abs(sin) * pw + Math.abs(cos) * ph) / 2;
        double cx = 2 * ex < w ? ex + rnd.nextDouble() * (w - 2 * ex) : w / 2.0;
        double cy = 2 * ey < h ? ey + rnd.nextDouble() * (h - 2 * ey) : h / 2.0;
        double half = StrictMath.hypot(pw, ph) / 2 + 1;
        int x0 = Math.max(0, (int) Math.floor(cx - half));
        int x1 = Math.min(w - 1, (int) Math.ceil(cx + half));
        int y0 = Math.max(0, (int) Math.floor(cy - half));
        int y1 = Math.min(h - 1, (int) Math.ceil(cy + half));
        int ch = target.channels;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                // inverse rotation into patch coordinates
                int px = (int) Math.floor(cos * dx + sin * dy + pw / 2.0);
                int py = (int) Math.floor(-sin * dx + cos * dy + ph / 2.0);
                if (px >= 0 && px < pw && py >= 0 && py < ph) {
                    System.arraycopy(patch.data, (py * pw + px) * ch, target.data, (y * w + x) * ch, ch);
                    mask.set(x, y);
                }
            }
        }
    }

    /** torchvision ColorJitter(0.1, 0.1, 0.1, 0.1) as CutPaste uses it. */
    private static void jitter(Image patch, SplittableRandom rnd) {
        Photometric.brightnessContrast(patch, 0.9 + rnd.nextDouble() * 0.2, 0);
        double contrast = 0.9 + rnd.nextDouble() * 0.2;
        long sum = 0;
        for (byte b : patch.data) {
            sum += b & 0xFF;
        }
        double mean = (double) sum / patch.data.length;
        Photometric.brightnessContrast(patch, contrast, mean * (1 - contrast));
        Photometric.hueSaturation(patch, rnd.nextDouble() * 72 - 36, rnd.nextDouble() * 0.2 - 0.1, 1.0);
    }
}
