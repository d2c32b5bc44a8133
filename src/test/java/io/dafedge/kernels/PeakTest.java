package io.dafedge.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The measured peak is a real figure on every ISA, and bad arguments are refused before C. */
class PeakTest {
    @Test
    void everySupportedIsaMeasuresAPlausiblePeak() {
        for (Isa isa : Isa.supported()) {
            double g = Peak.gflops(isa, 1);
            // a vector FMA per cycle at 0.5 GHz is far below any core this runs on; 10 per cycle at 6 GHz far above
            double lanes = isa.lanes() * 2;
            assertTrue(g > 0.5 * lanes && g < 60 * lanes, isa + ": " + g + " GFLOP/s");
        }
    }

    @Test
    void vnniMeasuresAPlausiblePeak() {
        assumeTrue(QuantConv1x1.Path.supported().contains(QuantConv1x1.Path.AVX512_VNNI), "no AVX-512 VNNI here");
        double g = Peak.int8Gops(1);
        // 128 operations per vpdpbusd: one per 4 cycles at 0.5 GHz is far below, 2 per cycle at 6 GHz far above
        assertTrue(g > 16 && g < 1536, g + " GOP/s");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Peak.gflops(Isa.selected(), 0));
        assertThrows(IllegalArgumentException.class, () -> Peak.int8Gops(0));
        assertThrows(IllegalArgumentException.class, () -> Peak.gflops(null, 1));
    }
}
