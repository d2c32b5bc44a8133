package io.dafedge.train.metrics;

import java.util.function.IntPredicate;

/**
 * Scores of two classes reduced to what a threshold sweep needs: the distinct positive scores, how many positives
 * hold each, how many negatives tie with each, and how many fall strictly between two neighbours. Walking these from
 * the top visits the corners of the curve that walking every distinct threshold visits: between two positive scores
 * only the false positives move, so the curve runs straight there. Positives are sorted as a whole; negatives stream
 * through in sorted blocks, so memory follows the positive count, not the pixel count.
 */
final class ScoreBins {
    /**
     * Negatives are sorted and counted in blocks of at least this many, and at least as many as there are distinct
     * positive scores, so merging a block with them costs no more than sorting it.
     */
    private static final int MIN_BLOCK = 1 << 20;

    private final int[] values;
    private final int[] positives;
    private final int[] ties;
    private final int[] gaps;
    private final long positiveCount;
    private final int[] block;
    private final int[] scratch;
    private int pending;
    private long negativeCount;

    /**
     * Bins for the given positive keys ({@link ScoreKeys}), ascending; {@code expectedNegatives} sizes the block and
     * need not be exact.
     */
    ScoreBins(int[] sortedPositives, int expectedNegatives) {
        int distinct = 0;
        for (int i = 0; i < sortedPositives.length; i++) {
            if (i == 0 || sortedPositives[i] != sortedPositives[i - 1]) {
                distinct++;
            }
        }
        values = new int[distinct];
        positives = new int[distinct];
        int k = -1;
        for (int i = 0; i < sortedPositives.length; i++) {
            if (i == 0 || sortedPositives[i] != sortedPositives[i - 1]) {
                values[++k] = sortedPositives[i];
            }
            positives[k]++;
        }
        ties = new int[distinct];
        gaps = new int[distinct + 1];
        positiveCount = sortedPositives.length;
        int size = Math.max(1, Math.min(expectedNegatives, Math.max(MIN_BLOCK, distinct)));
        block = new int[size];
        scratch = new int[size];
    }

    /** Bins for labelled scores, true = positive. */
    static ScoreBins of(float[] scores, boolean[] labels) {
        return of(scores, labels, i -> true);
    }

    /** Bins for labelled scores, keeping only the positives at the indices {@code counted} accepts. */
    static ScoreBins of(float[] scores, boolean[] labels, IntPredicate counted) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] && counted.test(i)) {
                count++;
            }
        }
        int[] keys = new int[count];
        int j = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] && counted.test(i)) {
                keys[j++] = ScoreKeys.of(scores[i]);
            }
        }
        ScoreKeys.sort(keys, count, new int[count]);
        ScoreBins bins = new ScoreBins(keys, scores.length - count);
        for (int i = 0; i < scores.length; i++) {
            if (!labels[i]) {
                bins.addNegative(ScoreKeys.of(scores[i]));
            }
        }
        return bins;
    }

    void addNegative(int key) {
        block[pending++] = key;
        if (pending == block.length) {
            flush();
        }
    }

    long positiveCount() {
        return positiveCount;
    }

    /** The negatives added so far. */
    long negativeCount() {
        return negativeCount + pending;
    }

    /** How many distinct positive scores there are: {@link Sweep#value()} indexes them in ascending order. */
    int valueCount() {
        return values.length;
    }

    /** A sweep over everything added so far. */
    Sweep sweep() {
        flush();
        return new Sweep();
    }

    private void flush() {
        ScoreKeys.sort(block, pending, scratch);
        int k = 0;
        for (int i = 0; i < pending; i++) {
            int key = block[i];
            while (k < values.length && values[k] < key) {
                k++;
            }
            if (k < values.length && values[k] == key) {
                ties[k]++;
            } else {
                gaps[k]++;
            }
        }
        negativeCount += pending;
        pending = 0;
    }

    /**
     * The curve from the highest threshold down, starting at (0, 0) before the first step: each step lowers the
     * threshold to the next corner and the counts are then those of scores at or above the threshold. Steps
     * alternate between the negatives strictly above a positive score and that score itself (with its tied
     * negatives); a step may move nothing.
     */
    final class Sweep {
        private int step;
        private long truePositives;
        private long falsePositives;
        private int value = -1;

        private Sweep() {
        }

        boolean next() {
            if (step > 2 * values.length) {
                return false;
            }
            int k = values.length - 1 - step / 2;
            if (step % 2 == 0) {
                falsePositives += gaps[k + 1];
                value = -1;
            } else {
                truePositives += positives[k];
                falsePositives += ties[k];
                value = k;
            }
            step++;
            return true;
        }

        long truePositives() {
            return truePositives;
        }

        long falsePositives() {
            return falsePositives;
        }

        /** The index of the positive score this step reached, or -1 when it moved only false positives. */
        int value() {
            return value;
        }
    }
}
