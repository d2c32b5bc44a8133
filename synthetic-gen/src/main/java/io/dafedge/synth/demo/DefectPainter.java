package io.dafedge.synth.demo;

import java.util.SplittableRandom;

/** Draws one defect of a kind at a random place on a part, as a layer to composite over the part's picture. */
interface DefectPainter {
    DefectLayer paint(Part part, SplittableRandom rnd);
}
