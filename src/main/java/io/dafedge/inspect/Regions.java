package io.dafedge.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.dafedge.model.AnomalyMap;
import io.dafedge.model.ConnectedComponents;

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
        boolean[] above = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            above[i] = v[i] >= threshold;
        }
        int[] labels = new int[v.length];
        Component[] byLabel = new Component[ConnectedComponents.label(above, w, h, labels) + 1];
        List<Component> found = new ArrayList<>(byLabel.length - 1);
        // in scan order, so a component is listed where its first pixel is met (ties stay in scan order)
        for (int p = 0; p < v.length; p++) {
            int l = labels[p];
            if (l == 0) {
                continue;
            }
            if (byLabel[l] == null) {
                byLabel[l] = new Component(p % w, p / w);
                found.add(byLabel[l]);
            }
            byLabel[l].add(p % w, p / w, v[p]);
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
