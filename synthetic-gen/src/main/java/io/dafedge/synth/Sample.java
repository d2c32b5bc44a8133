package io.dafedge.synth;

/** One training triple's synthetic half: the defective image, its mask, and how it was made. */
public record Sample(Image image, Mask mask, String strategy, long seed) {
}
