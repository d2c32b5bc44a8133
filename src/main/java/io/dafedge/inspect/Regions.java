package io.dafedge.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.dafedge.model.AnomalyMap;

/**
 * The defect regions of one map: connected components (8-connectivity, so pixels touching at a corner belong
 * together) of the pixels scoring at or above the threshold, the strongest first.
 *
 * @param regions at most the requested number, by max score descending; equal maxima keep the order in which the
 *                regions are met scanning the map row by row
 * @param omitted how many weaker regions were left out
 */
public record Regions(List<DefectRegion> regions, int omitted) {
    public Regions {
        regions = List.copyOf(regions);
    }

    /**
     * Labels {@code map} and reports at most {@code maxRegions} regions, with their boxes and areas in the frame
     * {@code geometry} maps the map back to.
     */
    public static Regions find(AnomalyMap map, float threshold, FrameGeometry geometry, int maxRegions) {
        if (maxRegions < 0) {
            throw new IllegalArgumentException("maxRegions must not be negative, got " + maxRegions);
        }
        int w = map.width();
        int h = map.height();
        float[] v = map.values();
        boolean[] seen = new boolean[v.length];
        int[] stack = new int[v.length]; // every pixel is pushed at most once
        List<Component> found = new ArrayList<>();
        for (int start = 0; start < v.length; start++) {
            if (seen[start] || !(v[start] >= threshold)) {
                continue;
            }
            Component comp = new Component(start % w, start / w);
            seen[start] = true;
            int top = 0;
            stack[top++] = start;
            while (top > 0) {
                int p = stack[--top];
                int px = p % w;
                int py = p / w;
                comp.add(px, py, v[p]);
                for (int ny = Math.max(py - 1, 0); ny <= Math.min(py + 1, h - 1); ny++) {
                    for (int nx = Math.max(px - 1, 0); nx <= Math.min(px + 1, w - 1); nx++) {
                        int q = ny * w + nx;
                        if (!seen[q] && v[q] >= threshold) {
                            seen[q] = true;
                            stack[top++] = q;
                        }
                    }
                }
            }
            found.add(comp);
        }
        found.sort(Comparator.comparingDouble((Component c) -> c.max).reversed()); // stable: ties stay in scan order
        int kept = Math.min(maxRegions, found.size());
        double areaPerPixel = geometry.frameAreaPerMapPixel(w, h);
        List<DefectRegion> regions = new ArrayList<>(kept);
        for (Component c : found.subList(0, kept)) {
            Box mapBox = new Box(c.minX, c.minY, c.maxX - c.minX + 1, c.maxY - c.minY + 1);
            regions.add(new DefectRegion(geometry.toFrame(mapBox, w, h), mapBox, c.count * areaPerPixel, c.max,
                    (float) (c.sum / c.count)));
        }
        return new Regions(regions, found.size() - kept);
    }

    /** Running statistics of one component while it is flooded. */
    private static final class Component {
        int minX;
        int minY;
        int maxX;
        int maxY;
        int count;
        double sum;
        float max = Float.NEGATIVE_INFINITY;

        Component(int x, int y) {
            minX = maxX = x;
            minY = maxY = y;
        }

        void add(int x, int y, float value) {
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
            count++;
            sum += value;
            max = Math.max(max, value);
        }
    }
}
