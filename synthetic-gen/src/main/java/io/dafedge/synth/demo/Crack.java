package io.dafedge.synth.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A crack: two jagged arms running out from an origin in roughly opposite directions, each a random walk whose
 * heading keeps snapping back to its course, tapering to nothing and throwing off thinner branches.
 */
final class Crack implements DefectPainter {
    /** Mean straight run between kinks, in reference pixels. */
    private static final double STEP = 4;
    private static final double MIN_HALF_WIDTH = 0.6;
    private static final int BRANCH_DEPTH = 2;
    /** Expected branches per arm. */
    private static final double BRANCHES = 1.2;

    @Override
    public DefectLayer paint(Part part, SplittableRandom rnd) {
        double s = part.scale();
        int[] spot = part.spot(rnd);
        double side = Math.min(part.width(), part.height());
        double heading = rnd.nextDouble() * 2 * Math.PI;
        double halfWidth = Math.max(MIN_HALF_WIDTH, (0.55 + 0.4 * rnd.nextDouble()) * s);
        double step = Math.max(1, STEP * s);
        Coverage coverage = new Coverage(part.width(), part.height());
        walk(coverage, rnd, spot[0], spot[1], heading, (0.1 + 0.1 * rnd.nextDouble()) * side,
                halfWidth, step, BRANCH_DEPTH);
        walk(coverage, rnd, spot[0], spot[1], heading + Math.PI + (rnd.nextDouble() - 0.5),
                (0.06 + 0.1 * rnd.nextDouble()) * side, halfWidth, step, BRANCH_DEPTH);
        double luma = part.meanLuma(spot[0], spot[1], (int) Math.ceil(6 * s));
        double darkening = Math.max(45, (0.55 + 0.15 * rnd.nextDouble()) * luma);
        return DefectLayer.uniform(coverage, -darkening, DefectLayer.NEUTRAL);
    }

    private static void walk(Coverage coverage, SplittableRandom rnd, double x, double y, double course,
            double length, double halfWidth, double step, int depth) {
        List<double[]> points = new ArrayList<>();
        double heading = course;
        double travelled = 0;
        while (true) {
            double t = Math.min(1, travelled / length);
            double width = halfWidth * (1 - 0.85 * t) * (0.7 + 0.45 * rnd.nextDouble());
            points.add(new double[] {x, y, width, 1});
            if (t >= 1) {
                break;
            }
            if (depth > 0 && travelled > 0 && rnd.nextDouble() < BRANCHES * step / length) {
                double fork = (0.4 + 0.6 * rnd.nextDouble()) * (rnd.nextBoolean() ? 1 : -1);
                walk(coverage, rnd, x, y, heading + fork, (0.3 + 0.25 * rnd.nextDouble()) * (length - travelled),
                        Math.max(0.4, 0.7 * width), step, depth - 1);
            }
            // zig-zag: straight runs of random length, each turning sharply off a slowly drifting course
            course += (rnd.nextDouble() - 0.5) * 0.25;
            heading = course + 0.3 * (heading - course) + (rnd.nextDouble() * 2 - 1) * 0.75;
            double run = step * (0.6 + 1.2 * rnd.nextDouble());
            x += run * StrictMath.cos(heading);
            y += run * StrictMath.sin(heading);
            travelled += run;
        }
        coverage.stroke(points.toArray(new double[0][]));
    }
}
