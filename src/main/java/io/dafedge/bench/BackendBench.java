package io.dafedge.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dafedge.model.Detector;
import io.dafedge.model.daf.CompiledDafDetector;
import io.dafedge.synth.Image;

/**
 * Times several detectors on the same image in one process: each is warmed up, then they take turns frame by frame
 * (the order rotating every round), so a burst of load from elsewhere on the machine hits all of them alike and
 * their ratios stay meaningful.
 */
public final class BackendBench {
    private BackendBench() {
    }

    /** A detector to time, and the multiply-accumulates one frame costs it. */
    public record Backend(String name, Detector detector, long macs) {
    }

    /** One backend's frame times in milliseconds. */
    public record Timing(String backend, long macs, double[] ms) {
        public double median() {
            return quantile(0.5);
        }

        /** Nearest-rank quantile. */
        public double quantile(double q) {
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
        }

        /** Achieved GFLOP/s at the median time, two FLOP per multiply-accumulate. */
        public double gflops() {
            return 2.0 * macs / (median() * 1e6);
        }
    }

    /** One stage of a compiled detector: its median time over the timed frames and its MACs. */
    public record Stage(String name, double ms, long macs) {
        public double gflops() {
            return macs == 0 ? 0 : 2.0 * macs / (ms * 1e6);
        }
    }

    /** {@code warmup} frames each, then {@code rounds} rounds of one frame per backend. */
    public static List<Timing> run(List<Backend> backends, Image image, int warmup, int rounds) {
        if (backends.isEmpty() || warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("needs a backend, warm-up >= 0 and rounds >= 1");
        }
        for (Backend b : backends) {
            for (int i = 0; i < warmup; i++) {
                b.detector().score(image);
            }
        }
        int n = backends.size();
        double[][] ms = new double[n][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                int i = (r + k) % n;
                long start = System.nanoTime();
                backends.get(i).detector().score(image);
                ms[i][r] = (System.nanoTime() - start) / 1e6;
            }
        }
        List<Timing> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Timing(backends.get(i).name(), backends.get(i).macs(), ms[i]));
        }
        return out;
    }

    /** Median time of every stage of {@code detector} over {@code frames} timed frames, in the order they run. */
    public static List<Stage> stages(CompiledDafDetector detector, Image image, int frames) {
        Map<String, double[]> times = new LinkedHashMap<>();
        Map<String, Long> macs = new LinkedHashMap<>();
        for (int f = 0; f < frames; f++) {
            int frame = f;
            detector.score(image, (stage, nanos, m) -> {
                times.computeIfAbsent(stage, k -> new double[frames])[frame] = nanos / 1e6;
                macs.put(stage, m);
            });
        }
        List<Stage> out = new ArrayList<>();
        times.forEach((name, ms) -> out.add(new Stage(name, new Timing(name, 0, ms).median(), macs.get(name))));
        return out;
    }
}
