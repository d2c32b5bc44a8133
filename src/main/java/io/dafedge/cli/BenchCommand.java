package io.dafedge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.bench.BackendBench;
import io.dafedge.bench.Cpu;
import io.dafedge.bench.BackendBench.Backend;
import io.dafedge.bench.BackendBench.Stage;
import io.dafedge.bench.BackendBench.Timing;
import io.dafedge.kernels.Isa;
import io.dafedge.kernels.Packing;
import io.dafedge.kernels.Peak;
import io.dafedge.kernels.QuantConv1x1;
import io.dafedge.model.Detector;
import io.dafedge.model.Detectors;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.daf.CompiledDafDetector;
import io.dafedge.model.daf.DafDetector;
import io.dafedge.model.daf.DafOnnxDetector;
import io.dafedge.model.djl.Djl;
import io.dafedge.publish.ResultMessages;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.demo.DemoLine;
import io.dafedge.synth.demo.DemoProduct;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench --model BUNDLE}: one DAF bundle's inference on every backend, in one process, on the same weights and
 * image; the other modes are subcommands.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Measures on this machine, in one process, without booting the appliance.%n"
                + "bench --model BUNDLE: a DAF bundle's inference per frame (batch 1) on DJL, ONNX Runtime (the "
                + "exported graph) and the compiled kernels: dense, pruned, and pruned with the teacher's blocks in "
                + "INT8 as the appliance runs it; ms/frame, MACs, GFLOP/s, ratios and where the appliance's time "
                + "goes.%n"
                + "bench pipeline --model BUNDLE: the whole appliance pipeline (frames/s, latency to MQTT, the "
                + "pipeline's own cost per frame).",
        subcommands = BenchPipelineCommand.class)
public final class BenchCommand implements Callable<Integer> {
    static final String DJL = "djl-dense";
    static final String ORT = "onnxruntime-dense";
    static final String COMPILED = "compiled-dense";
    static final String PRUNED = "compiled-pruned";
    static final String PRUNED_INT8 = "compiled-pruned-int8";
    static final List<String> ALL = List.of(DJL, ORT, COMPILED, PRUNED, PRUNED_INT8);

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "BUNDLE_DIR", description = "A DAF model bundle.")
    Path model;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "40",
            description = "Timed frames per backend, taken in turns (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "8",
            description = "Untimed frames per backend first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Threads of every backend (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--image", paramLabel = "FILE",
            description = "Image to score (default: a frame of the synthetic demo line).")
    Path imageFile;

    @Option(names = "--backends", paramLabel = "LIST", split = ",",
            defaultValue = DJL + "," + ORT + "," + COMPILED + "," + PRUNED + "," + PRUNED_INT8,
            description = "Which backends, comma-separated (default: all five).")
    List<String> backends;

    @Option(names = "--stages", paramLabel = "N", defaultValue = "12",
            description = "Slowest stages of compiled-pruned to list (default: ${DEFAULT-VALUE}; 0: none).")
    int stages;

    @Option(names = "--json", description = "Print one JSON object instead of the tables.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (model == null) {
            throw new ParameterException(spec.commandLine(), "bench needs --model BUNDLE_DIR, or a mode: "
                    + "bench pipeline --model BUNDLE_DIR");
        }
        if (rounds < 1 || warmup < 0 || threads < 1 || threads > 64) {
            throw new ParameterException(spec.commandLine(), "--rounds must be at least 1, --warmup at least 0, "
                    + "--threads in [1, 64]");
        }
        for (String b : backends) {
            if (!ALL.contains(b)) {
                throw new ParameterException(spec.commandLine(), "unknown backend '" + b + "': choose from " + ALL);
            }
        }
        // the appliance's own configuration: the teacher's blocks in INT8 where the CPU can
        boolean int8 = QuantConv1x1.Path.forNetworks() != null;
        String skipped = null;
        if (!int8 && backends.contains(PRUNED_INT8)) {
            skipped = PRUNED_INT8 + " not run: no AVX-512 VNNI here, or " + QuantConv1x1.INT8_ENV + "=off";
            backends = backends.stream().filter(b -> !b.equals(PRUNED_INT8)).toList();
        }
        appliance = int8 ? PRUNED_INT8 : PRUNED;
        ModelBundle bundle = ModelBundle.open(model);
        Djl.useThreads(threads);
        int side = bundle.preprocessing().size();
        Image image = bundle.preprocessing().resized(imageFile == null
                ? new DemoLine(DemoProduct.FLANGE, side, side).frame(0, 0).image() : ImageFiles.read(imageFile));
        List<Detector> open = new ArrayList<>();
        try {
            List<Backend> list = new ArrayList<>();
            CompiledDafDetector pruned = null;
            long dense = 0;
            for (String name : backends) {
                Detector d = switch (name) {
                    case DJL -> DafDetector.loadInDjl(bundle);
                    case ORT -> DafOnnxDetector.load(bundle, threads);
                    case COMPILED -> CompiledDafDetector.load(bundle, threads, Packing.DENSE);
                    case PRUNED -> CompiledDafDetector.load(bundle, threads, Packing.SPARSE, false,
                            Detectors.kernelCache(bundle));
                    default -> CompiledDafDetector.load(bundle, threads, Packing.SPARSE, true,
                            Detectors.kernelCache(bundle));
                };
                open.add(d);
                if (d instanceof CompiledDafDetector c) {
                    long[] macs = c.macs();
                    dense = macs[0];
                    if (name.equals(appliance) || (pruned == null && name.equals(PRUNED))) {
                        pruned = c;
                    }
                    if (c.generated() != null) {
                        generated = name + ": " + c.generated();
                    }
                }
                list.add(new Backend(name, d, 0));
            }
            if (dense == 0) {
                try (CompiledDafDetector c = CompiledDafDetector.load(bundle, 1, Packing.DENSE)) {
                    dense = c.macs()[0];
                }
            }
            long denseMacs = dense;
            List<Backend> withMacs = list.stream().map(b -> new Backend(b.name(), b.detector(),
                    b.detector() instanceof CompiledDafDetector c ? c.macs()[1] : denseMacs)).toList();
            List<Timing> timings = BackendBench.run(withMacs, image, warmup, rounds);
            List<Stage> stageTimes = pruned == null || stages == 0 ? List.of()
                    : BackendBench.stages(pruned, image, Math.max(5, rounds / 2));
            PrintWriter o = spec.commandLine().getOut();
            if (skipped != null) {
                spec.commandLine().getErr().println("bench: " + skipped);
            }
            if (json) {
                o.println(ResultMessages.text(json(bundle, side, timings, stageTimes)));
            } else {
                table(o, bundle, side, timings, stageTimes);
            }
        } finally {
            for (Detector d : open) {
                d.close();
            }
        }
        return CliExit.OK;
    }

    /**
     * One core's measured peak on the selected ISA times the threads: measured once per run, after the frames, on
     * one thread, which finds a core of its own on a shared machine more often than two threads find two.
     */
    private double peak = Double.NaN;
    /** The backend that runs as the appliance does: the one speedup_vs_onnxruntime and the stages are about. */
    private String appliance = PRUNED;
    /** What the model-specialised kernels of the pruned backends are, or null when none. */
    private String generated;

    private double peakGflops() {
        if (Double.isNaN(peak)) {
            peak = threads * Peak.gflops(Isa.selected(), 1);
        }
        return peak;
    }

    /** The appliance's backend, or compiled-pruned when it was not run. */
    private Timing applianceTiming(List<Timing> timings) {
        Timing t = find(timings, appliance);
        return t != null ? t : find(timings, PRUNED);
    }

    private static Timing find(List<Timing> timings, String name) {
        return timings.stream().filter(t -> t.backend().equals(name)).findFirst().orElse(null);
    }

    private void table(PrintWriter o, ModelBundle bundle, int side, List<Timing> timings, List<Stage> stageTimes) {
        o.printf(Locale.ROOT, "bench: DAF bundle %s (%s), %dx%d, batch 1, %d threads, ISA %s, %d rounds after %d "
                        + "warm-up frames per backend%n", bundle.id(), model, side, side, threads,
                Isa.selected().key(), rounds, warmup);
        Timing ort = find(timings, ORT);
        o.printf(Locale.ROOT, "  %-18s %10s %17s %9s %9s %8s %9s%n", "backend", "median ms", "p10 - p90 ms",
                "MMAC", "GFLOP/s", "of peak", ort == null ? "" : "vs ORT");
        for (Timing t : timings) {
            o.printf(Locale.ROOT, "  %-18s %10.2f %8.2f - %6.2f %9.1f %9.1f %7.1f%% %9s%n", t.backend(), t.median(),
                    t.quantile(0.1), t.quantile(0.9), t.macs() / 1e6, t.gflops(), 100 * t.gflops() / peakGflops(),
                    ort == null ? "" : String.format(Locale.ROOT, "%.2fx", ort.median() / t.median()));
        }
        Timing pruned = applianceTiming(timings);
        if (ort != null && pruned != null) {
            o.printf(Locale.ROOT, "  speedup_vs_onnxruntime = %.2f (ONNX Runtime dense / %s, as the appliance runs, "
                    + "medians)%n", ort.median() / pruned.median(), pruned.backend());
        }
        if (generated != null) {
            o.printf(Locale.ROOT, "  %s%n", generated);
        }
        o.printf(Locale.ROOT, "  peak: %.0f GFLOP/s = %d x one core's, measured (%s FMA chains in registers; "
                + "the clock /proc/cpuinfo reports: %.2f GHz)%n", peakGflops(), threads, Isa.selected().key(),
                Cpu.ghz());
        if (!stageTimes.isEmpty()) {
            double total = stageTimes.stream().mapToDouble(Stage::ms).sum();
            o.printf(Locale.ROOT, "where %s's time goes (median per stage, stages timed one after the other, "
                    + "teacher and student too: %.2f ms in all)%n", applianceTiming(timings).backend(), total);
            o.printf(Locale.ROOT, "  %-34s %8s %7s %9s %9s%n", "part", "ms", "share", "MMAC", "GFLOP/s");
            parts(stageTimes).forEach(s -> o.printf(Locale.ROOT, "  %-34s %8.3f %6.1f%% %9.2f %9.1f%n", s.name(),
                    s.ms(), 100 * s.ms() / total, s.macs() / 1e6, s.gflops()));
            o.printf(Locale.ROOT, "  slowest %d stages:%n", Math.min(stages, stageTimes.size()));
            o.printf(Locale.ROOT, "  %-34s %8s %7s %9s %9s%n", "stage", "ms", "share", "MMAC", "GFLOP/s");
            stageTimes.stream().sorted(Comparator.comparingDouble(Stage::ms).reversed()).limit(stages).forEach(s ->
                    o.printf(Locale.ROOT, "  %-34s %8.3f %6.1f%% %9.2f %9.1f%n", s.name(), s.ms(),
                            100 * s.ms() / total, s.macs() / 1e6, s.gflops()));
        }
    }

    /** Stages summed by part of the network: teacher, student, discrepancy, decoder (fusion to head), the rest. */
    static List<Stage> parts(List<Stage> stageTimes) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (Stage s : stageTimes) {
            String n = s.name();
            String part = n.startsWith("teacher/") ? "teacher" : n.startsWith("student/") ? "student"
                    : n.startsWith("discrepancy") ? "discrepancies"
                    : n.startsWith("fus") || n.startsWith("decoder") || n.startsWith("head") ? "fusion and decoder"
                    : n;
            double[] sum = sums.computeIfAbsent(part, k -> new double[2]);
            sum[0] += s.ms();
            sum[1] += s.macs();
        }
        List<Stage> out = new ArrayList<>();
        sums.forEach((name, sum) -> out.add(new Stage(name, sum[0], (long) sum[1])));
        return out;
    }

    private ObjectNode json(ModelBundle bundle, int side, List<Timing> timings, List<Stage> stageTimes) {
        ObjectNode j = ResultMessages.object();
        j.put("model", model.toString());
        j.put("bundle_id", bundle.id());
        j.put("size", side);
        j.put("batch", 1);
        j.put("threads", threads);
        j.put("isa", Isa.selected().key());
        j.put("rounds", rounds);
        j.put("warmup", warmup);
        ObjectNode ms = j.putObject("ms_per_frame");
        ObjectNode spread = j.putObject("ms_p10_p90");
        ObjectNode macs = j.putObject("macs");
        ObjectNode gflops = j.putObject("gflops");
        for (Timing t : timings) {
            ms.put(t.backend(), t.median());
            spread.putArray(t.backend()).add(t.quantile(0.1)).add(t.quantile(0.9));
            macs.put(t.backend(), t.macs());
            gflops.put(t.backend(), t.gflops());
        }
        Timing ort = find(timings, ORT);
        Timing pruned = applianceTiming(timings);
        if (ort != null && pruned != null) {
            j.put("speedup_vs_onnxruntime", ort.median() / pruned.median());
            j.put("speedup_backend", pruned.backend());
            ObjectNode by = j.putObject("speedup_vs_onnxruntime_by_backend");
            timings.forEach(t -> by.put(t.backend(), ort.median() / t.median()));
        }
        j.put("peak_gflops", peakGflops());
        if (generated != null) {
            j.put("generated_kernels", generated);
        }
        ArrayNode p = j.putArray("parts");
        for (Stage part : parts(stageTimes)) {
            p.addObject().put("name", part.name()).put("ms", part.ms()).put("macs", part.macs());
        }
        ArrayNode s = j.putArray("stages");
        for (Stage stage : stageTimes) {
            s.addObject().put("name", stage.name()).put("ms", stage.ms()).put("macs", stage.macs());
        }
        return j;
    }
}
