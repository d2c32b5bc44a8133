package io.dafedge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.bench.Distribution;
import io.dafedge.bench.PipelineBench;
import io.dafedge.bench.PipelineReport;
import io.dafedge.bench.TrainingLoad;
import io.dafedge.model.Detector;
import io.dafedge.model.Detectors;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.djl.Djl;
import io.dafedge.publish.ResultMessages;
import io.dafedge.train.DafTrainer;
import io.dafedge.train.SiteTraining;
import io.dafedge.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "pipeline", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs one camera's whole pipeline in this process with a model bundle: PNG decode, queue, "
                + "inspection, MQTT publish through an embedded broker to a subscriber (the database writer saves "
                + "nothing). After a warm-up, measures sustained frames/s, then latency from arrival to MQTT receipt "
                + "at " + (int) (PipelineBench.PACED_LOAD * 100) + "%% of that rate, and the pipeline's own time per "
                + "frame (everything but the detector).")
public final class BenchPipelineCommand implements Callable<Integer> {
    /** The background run's budget: longer than any measurement; it is cancelled when the measurement ends. */
    static final double TRAINING_MINUTES = 240;
    /** The background run's input side: daf.training.size's default. */
    static final int TRAINING_SIZE = 256;
    /** How long the training's own pace is watched before the second measurement (its reports come every 2 s). */
    static final long TRAINING_ALONE_MS = 12_000;
    /** The budget for the pipeline's own time per frame. */
    static final double OVERHEAD_BUDGET_MS = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "BUNDLE_DIR", description = "Model bundle.")
    Path model;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "200",
            description = "Frames per measured phase (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "20",
            description = "Frames sent first and not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--threshold", paramLabel = "SCORE", defaultValue = "1e6",
            description = "The line's threshold (default: ${DEFAULT-VALUE}, all OK; 0 makes every frame NOK, the "
                    + "costliest case: NOK frames also get a thumbnail for storage).")
    float threshold;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "256",
            description = "Side of the square demo frames (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--threads", paramLabel = "N", description = "Detector threads (default: all cores).")
    Integer threads;

    @Option(names = "--ok-heatmaps", paramLabel = "BOOL", defaultValue = "true", arity = "1",
            description = "Whether OK frames get a heat map, as daf.mqtt.ok-heatmaps (default: ${DEFAULT-VALUE}).")
    boolean okHeatmaps;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--during-training", paramLabel = "IMAGE_DIR",
            description = "Measure twice: as usual, then with an on-site training run in the background, as the "
                    + "appliance runs it (--training-threads, nice 19), on copies of the images in IMAGE_DIR; "
                    + "reports both rates and their ratio.")
    Path trainingImages;

    @Option(names = "--training-threads", paramLabel = "N", defaultValue = "1",
            description = "With --during-training: the run's thread budget, as daf.training.threads "
                    + "(default: ${DEFAULT-VALUE}).")
    int trainingThreads;

    @Option(names = "--training-images", paramLabel = "N", defaultValue = "100",
            description = "With --during-training: how many of the images the run trains on (default: "
                    + "${DEFAULT-VALUE}; at least " + SiteTraining.LEAST_IMAGES + ").")
    int trainingImageCount;

    @Option(names = "--teacher", paramLabel = "FILE.onnx", defaultValue = "${env:DAF_TEACHER}",
            description = "With --during-training: the teacher backbone (default: $DAF_TEACHER).")
    Path teacher;

    @Override
    public Integer call() throws Exception {
        PipelineBench.Settings settings;
        try {
            settings = new PipelineBench.Settings(frames, warmup, threshold, size, okHeatmaps);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        List<Path> images = trainingImages == null ? List.of() : trainingImages();
        ModelBundle bundle = ModelBundle.open(model);
        int n = Cli.threads(threads);
        Djl.useThreads(n);
        Consumer<String> progress = line -> {
            err.println(line);
            err.flush();
        };
        PipelineReport r;
        PipelineReport during = null;
        long trainingSteps = 0;
        double trainingAlone = 0;
        double trainingSeconds = 0;
        try (Detector detector = Detectors.load(bundle, n)) {
            r = PipelineBench.run(detector, bundle.id(), settings, progress);
            if (trainingImages != null) {
                try (TrainingLoad load = TrainingLoad.start(teacher, images, trainingImageCount, trainingThreads,
                        TRAINING_SIZE, TRAINING_MINUTES, progress)) {
                    TrainingRun.Losses alone = load.now().losses();
                    Thread.sleep(TRAINING_ALONE_MS);
                    TrainingRun.Losses before = load.now().losses();
                    trainingAlone = (before.step() - alone.step()) / (before.seconds() - alone.seconds());
                    progress.accept("measuring again with the training run in the background");
                    during = PipelineBench.run(detector, bundle.id(), settings, progress);
                    TrainingRun.Losses after = load.now().losses();
                    // between the trainer's reports (every 2 s) around the measurement
                    trainingSteps = after.step() - before.step();
                    trainingSeconds = after.seconds() - before.seconds();
                }
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode j = json(r);
            if (during != null) {
                ObjectNode d = j.putObject("during_training");
                d.put("training_threads", trainingThreads);
                d.put("frames_per_second", during.framesPerSecond());
                d.put("ratio", during.framesPerSecond() / r.framesPerSecond());
                d.put("latency_ms_p50", during.latencyMs().p50());
                d.put("latency_ms_p99", during.latencyMs().p99());
                d.put("detect_ms_median", during.detectMs().p50());
                d.put("training_steps", trainingSteps);
                d.put("training_steps_per_second", trainingSteps / trainingSeconds);
                d.put("training_alone_steps_per_second", trainingAlone);
            }
            o.println(ResultMessages.text(j));
        } else {
            table(o, bundle, r);
            if (during != null) {
                o.printf(Locale.ROOT, "with an on-site training run in the background (%d thread(s), nice 19):%n",
                        trainingThreads);
                table(o, bundle, during);
                o.printf(Locale.ROOT, "  %-34s %9.1f -> %.1f frames/s, ratio %.2f%n", "throughput without -> with "
                        + "training", r.framesPerSecond(), during.framesPerSecond(),
                        during.framesPerSecond() / r.framesPerSecond());
                o.printf(Locale.ROOT, "  %-34s %d steps in %.0f s (%.2f steps/s, batch %d; %.2f before, without "
                        + "inspection)%n", "training meanwhile", trainingSteps, trainingSeconds,
                        trainingSteps / trainingSeconds, DafTrainer.DEFAULT_BATCH, trainingAlone);
            }
        }
        long problems = r.dropped() + r.failed() + r.missing()
                + (during == null ? 0 : during.dropped() + during.failed() + during.missing());
        return problems == 0 ? CliExit.OK : CliExit.PARTIAL;
    }

    private List<Path> trainingImages() throws IOException {
        Cli.requireTeacher(spec, teacher);
        if (trainingThreads < 1 || trainingImageCount < SiteTraining.LEAST_IMAGES) {
            throw new ParameterException(spec.commandLine(), "--training-threads must be at least 1 and "
                    + "--training-images at least " + SiteTraining.LEAST_IMAGES);
        }
        if (!Files.isDirectory(trainingImages)) {
            throw new ParameterException(spec.commandLine(), "--during-training " + trainingImages
                    + " is not a folder");
        }
        try (Stream<Path> s = Files.list(trainingImages)) {
            List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
            if (files.size() < SiteTraining.LEAST_IMAGES) {
                throw new ParameterException(spec.commandLine(), "--during-training " + trainingImages + " holds "
                        + files.size() + " files; a run needs at least " + SiteTraining.LEAST_IMAGES);
            }
            return files;
        }
    }

    private void table(PrintWriter o, ModelBundle bundle, PipelineReport r) {
        o.printf(Locale.ROOT, "pipeline bench: %s bundle %s, %dx%d frames, %d cores, %d frames per phase after %d "
                + "warm-up%n", bundle.method(), model, size, size, Runtime.getRuntime().availableProcessors(), r.frames(),
                r.warmup());
        o.printf(Locale.ROOT, "  %-34s %9.1f frames/s%n", "throughput (sustained)", r.framesPerSecond());
        o.printf(Locale.ROOT, "  %-34s %9.1f frames/s%n", "paced phase offered", r.pacedPerSecond());
        o.printf(Locale.ROOT, "  %-34s %9s %9s %9s%n", "ms (paced phase)", "p50", "p99", "max");
        row(o, "latency arrival -> MQTT received", r.latencyMs());
        row(o, "overhead (all but the detector)", r.overheadMs());
        row(o, "  of which PNG decode", r.decodeMs());
        row(o, "  of which post-processing", r.postprocessMs());
        row(o, "  of which hand-off to sinks", r.handOffMs());
        row(o, "detector", r.detectMs());
        row(o, "overhead at full load", r.fullLoadOverheadMs());
        o.printf(Locale.ROOT, "  %-34s %8.1f %%%n", "overhead share of frame time", 100 * r.overheadShare());
        o.printf(Locale.ROOT, "  %-34s median %s, p99 %s%n", "overhead under " + (int) OVERHEAD_BUDGET_MS + " ms",
                r.overheadMs().p50() < OVERHEAD_BUDGET_MS ? "yes" : "NO",
                r.overheadMs().p99() < OVERHEAD_BUDGET_MS ? "yes" : "NO");
        o.printf("  frames dropped %d, failed %d, result not received %d%n", r.dropped(), r.failed(), r.missing());
    }

    private static void row(PrintWriter o, String name, Distribution d) {
        o.printf(Locale.ROOT, "  %-34s %9.2f %9.2f %9.2f%n", name, d.p50(), d.p99(), d.max());
    }

    private ObjectNode json(PipelineReport r) {
        ObjectNode j = ResultMessages.object();
        j.put("model", model.toString());
        j.put("frames", r.frames());
        j.put("warmup", r.warmup());
        j.put("frames_per_second", r.framesPerSecond());
        j.put("paced_frames_per_second", r.pacedPerSecond());
        ObjectNode latency = j.putObject("latency_ms");
        latency.put("p50", r.latencyMs().p50());
        latency.put("p99", r.latencyMs().p99());
        latency.put("max", r.latencyMs().max());
        spread(j.putObject("overhead_ms"), r.overheadMs());
        spread(j.putObject("overhead_ms_full_load"), r.fullLoadOverheadMs());
        j.put("detect_ms_median", r.detectMs().p50());
        j.put("decode_ms_median", r.decodeMs().p50());
        j.put("postprocess_ms_median", r.postprocessMs().p50());
        j.put("hand_off_ms_median", r.handOffMs().p50());
        j.put("overhead_share", r.overheadShare());
        j.put("dropped", r.dropped());
        j.put("failed", r.failed());
        j.put("missing", r.missing());
        return j;
    }

    private static void spread(ObjectNode o, Distribution d) {
        o.put("median", d.p50());
        o.put("p99", d.p99());
    }
}
