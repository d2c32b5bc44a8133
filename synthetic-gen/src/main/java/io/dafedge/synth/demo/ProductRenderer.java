package io.dafedge.synth.demo;

import java.util.SplittableRandom;

/** Draws one defect-free part of a product, before the camera adds exposure, vignetting and sensor noise. */
interface ProductRenderer {
    Part render(int width, int height, SplittableRandom rnd);
}
