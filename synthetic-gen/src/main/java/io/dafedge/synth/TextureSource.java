package io.dafedge.synth;

import java.util.SplittableRandom;

/** Where the perlin-texture strategy takes the texture that fills a defect. */
public interface TextureSource {
    /** A texture of exactly {@code width x height} with {@code channels} colour channels (1 or 3). */
    Image texture(int width, int height, int channels, SplittableRandom rnd);

    /**
     * Picks a {@code width x height} window of {@code tex} at random, with a random flip; resizes the texture first
     * if it is smaller than the window.
     */
    static Image window(Image tex, int width, int height, int channels, SplittableRandom rnd) {
        if (tex.width < width || tex.height < height) {
            double scale = Math.max((double) width / tex.width, (double) height / tex.height);
            tex = tex.resize(Math.max(width, (int) Math.ceil(tex.width * scale)),
                    Math.max(height, (int) Math.ceil(tex.height * scale)));
        }
        int x0 = rnd.nextInt(tex.width - width + 1);
        int y0 = rnd.nextInt(tex.height - height + 1);
        Image out = tex.crop(x0, y0, width, height).toChannels(channels);
        if (rnd.nextBoolean()) {
            flipHorizontal(out);
        }
        return out;
    }

    private static void flipHorizontal(Image img) {
        int ch = img.channels;
        byte[] tmp = new byte[ch];
        for (int y = 0; y < img.height; y++) {
            int row = y * img.width * ch;
            for (int l = 0, r = img.width - 1; l < r; l++, r--) {
                System.arraycopy(img.data, row + l * ch, tmp, 0, ch);
                System.arraycopy(img.data, row + r * ch, img.data, row + l * ch, ch);
                System.arraycopy(tmp, 0, img.data, row + r * ch, ch);
            }
        }
    }
}
