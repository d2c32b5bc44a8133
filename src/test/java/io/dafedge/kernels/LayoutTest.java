package io.dafedge.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LayoutTest {
    /** 2 channels of 2 x 3: channel 0 holds 0..5, channel 1 holds 10..15, row by row. */
    private static final float[] CHW = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15};
    private static final float[] HWC = {0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15};

    @Test
    void channelsMoveInnermostAndBack() {
        assertArrayEquals(HWC, Layout.chwToHwc(CHW, 2, 2, 3));
        assertArrayEquals(CHW, Layout.hwcToChw(HWC, 2, 2, 3));
    }

    @Test
    void aLengthThatIsNotTheShapeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Layout.chwToHwc(CHW, 2, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> Layout.hwcToChw(HWC, 0, 2, 3));
    }
}
