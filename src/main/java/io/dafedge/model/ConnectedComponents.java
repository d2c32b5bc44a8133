package io.dafedge.model;

/**
 * 8-connected regions of a mask: the ground truth's regions for PRO, and the defect regions of a thresholded anomaly
 * map.
 */
public final class ConnectedComponents {
    private ConnectedComponents() {
    }

    /**
     * Labels the 8-connected regions of {@code mask} (pixels touching by an edge or a corner share a region, as with
     * the 3x3 structuring element of the MVTec AD evaluation): {@code labels[i]} becomes 1..count for a mask pixel,
     * and stays 0 elsewhere. {@code labels} must be all zero on entry.
     *
     * @return the number of regions
     */
    public static int label(boolean[] mask, int width, int height, int[] labels) {
        int[] stack = new int[mask.length]; // every pixel is pushed at most once: it is labelled when pushed
        int count = 0;
        for (int seed = 0; seed < mask.length; seed++) {
            if (!mask[seed] || labels[seed] != 0) {
                continue;
            }
            labels[seed] = ++count;
            int top = 0;
            stack[top++] = seed;
            while (top > 0) {
                int p = stack[--top];
                int x = p % width;
                int y = p / width;
                for (int ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
                    for (int nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
                        int q = ny * width + nx;
                        if (mask[q] && labels[q] == 0) {
                            labels[q] = count;
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
        return count;
    }
}
