package io.dafedge.synth;

import java.util.SplittableRandom;

/**
 * The DAF/DRAEM reference synthesis: a Perlin footprint filled with a texture that went through three random
 * photometric augmentations, blended over the image with opacity beta in [0, 0.8): out = (1 - beta) tex + beta src.
 */
public final class PerlinTextureStrategy implements AnomalyStrategy {
    public static final String NAME = "perlin-texture";
    private final TextureSource textures;

    public PerlinTextureStrategy(TextureSource textures) {
        this.textures = textures;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void draw(Image target, Mask mask, SplittableRandom rnd) {
        Masks.copyInto(Masks.perlin(target.width, target.height, rnd), mask);
        int[] box = Masks.bounds(mask);
        // only the footprint's bounding box needs a texture: much cheaper for small defects
        int bw = box[2] - box[0] + 1;
        int bh = box[3] - box[1] + 1;
        Image tex = Photometric.augment(textures.texture(bw, bh, target.channels, rnd), 3, rnd);
        double beta = rnd.nextDouble() * 0.8;
        int ch = target.channels;
        for (int y = box[1]; y <= box[3]; y++) {
            for (int x = box[0]; x <= box[2]; x++) {
                if (!mask.get(x, y)) {
                    continue;
                }
                int o = (y * target.width + x) * ch;
                int t = ((y - box[1]) * bw + (x - box[0])) * ch;
                for (int c = 0; c < ch; c++) {
                    double v = (1 - beta) * (tex.data[t + c] & 0xFF) + beta * (target.data[o + c] & 0xFF);
                    target.data[o + c] = (byte) Math.round(v);
                }
            }
        }
    }
}
