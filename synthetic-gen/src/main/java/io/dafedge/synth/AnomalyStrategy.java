package io.dafedge.synth;

import java.util.SplittableRandom;

/** One way of making a synthetic defect. Implementations are stateless apart from their configuration. */
public interface AnomalyStrategy {
    /** The name used on the command line and in manifests. */
    String name();

    /**
     * Draws one defect: changes pixels of {@code target} (a copy of the source, grey or RGB) and sets the defect's
     * pixels in {@code mask} (empty on entry). The synthesizer restores every pixel outside the mask afterwards.
     */
    void draw(Image target, Mask mask, SplittableRandom rnd);
}
