package io.dafedge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import io.dafedge.kernels.Layout;
import io.dafedge.synth.Image;
import org.junit.jupiter.api.Test;

class PreprocessingTest {
    /** The native kernels' input: the same values as the CHW tensor, transposed, to the bit, resized or not. */
    @Test
    void hwcTensorIsTheChwTensorTransposed() {
        Preprocessing pre = Preprocessing.imagenet(32);
        SplittableRandom random = new SplittableRandom(3);
        for (int side : new int[] {32, 45}) {
            Image image = new Image(side, side, 3);
            for (int i = 0; i < image.data.length; i++) {
                image.data[i] = (byte) random.nextInt(256);
            }
            float[] chw = pre.tensor(image);
            assertArrayEquals(Layout.chwToHwc(chw, 3, 32, 32), pre.tensorHwc(image), "side " + side);
            // spot check of the formula: red of pixel 0
            assertEquals((pre.resized(image).data[0] & 0xFF) / (255f * 0.229f) - 0.485f / 0.229f, chw[0], 1e-6);
        }
    }
}
