package io.dafedge.synth;

import java.util.SplittableRandom;

/**
 * Turns a defect-free image into a sample with one synthetic defect, enforcing what every strategy must give:
 * the source's size and channels, pixels outside the mask bit-identical to the source, a non-empty mask that
 * covers every changed pixel, a visible change, and the same bytes for the same seed.
 */
public final class AnomalySynthesizer {
    /** Mean absolute change per channel inside the mask below which a draw counts as invisible and is redrawn. */
    public static final double MIN_VISIBLE_CHANGE = 6.0;
    static final int ATTEMPTS = 8;
    private final StrategyMix mix;

    public AnomalySynthesizer(StrategyMix mix) {
        this.mix = mix;
    }

    /** The seed of the {@code index}-th sample of a run: reproducible one by one, independent of the others. */
    public static long sampleSeed(long runSeed, long index) {
        return new SplittableRandom(runSeed ^ (index * 0x9E3779B97F4A7C15L)).nextLong();
    }

    public Sample synthesize(Image source, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Image colour = source.withoutAlpha();
        AnomalyStrategy strategy = mix.pick(rnd);
        Image best = null;
        Mask bestMask = null;
        double bestChange = -1;
        for (int attempt = 0; attempt < ATTEMPTS && bestChange < MIN_VISIBLE_CHANGE; attempt++) {
            Image target = colour.copy();
            Mask mask = new Mask(source.width, source.height);
            strategy.draw(target, mask, rnd);
            double change = restoreOutside(colour, target, mask);
            if (change > bestChange) {
                best = target;
                bestMask = mask;
                bestChange = change;
            }
        }
        return new Sample(withAlphaOf(source, best), bestMask, strategy.name(), seed);
    }

    /**
     * Copies the source back wherever the mask is clear (the guarantee does not rest on each strategy's care) and
     * returns the mean absolute change per channel inside the mask (-1 for an empty mask).
     */
    static double restoreOutside(Image source, Image target, Mask mask) {
        int ch = source.channels;
        long change = 0;
        int area = 0;
        for (int i = 0, n = source.pixels(); i < n; i++) {
            int o = i * ch;
            if (mask.get(i)) {
                area++;
                for (int c = 0; c < ch; c++) {
                    change += Math.abs((target.data[o + c] & 0xFF) - (source.data[o + c] & 0xFF));
                }
            } else {
                System.arraycopy(source.data, o, target.data, o, ch);
            }
        }
        return area == 0 ? -1 : (double) change / ((long) area * ch);
    }

    private static Image withAlphaOf(Image source, Image colour) {
        if (source.channels != 4) {
            return colour;
        }
        Image out = source.copy();
        for (int i = 0, n = source.pixels(); i < n; i++) {
            System.arraycopy(colour.data, i * 3, out.data, i * 4, 3);
        }
        return out;
    }
}
