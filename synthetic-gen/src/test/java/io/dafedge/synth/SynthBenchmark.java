package io.dafedge.synth;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time for one 256x256 RGB sample per strategy, single thread, all strategies in one JVM so they can be compared
 * as ratios. Run: {@code ./mvnw -Pbench test-compile exec:exec -Dbench=SynthBenchmark}.
 * The source is a real magnetic-tile image when ../shared is present, else a generated surface.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class SynthBenchmark {
    @Param({"perlin-texture", "cutpaste", "cutpaste-scar", "simple", "simple-color", "simple-noise", "simple-blur",
            "simple-scratch"})
    public String strategy;

    private AnomalySynthesizer synth;
    private Image source;
    private long index;

    @Setup
    public void setup() throws Exception {
        synth = new AnomalySynthesizer(StrategyMix.parse(strategy, new ProceduralTextures()));
        Path shared = TestImages.shared();
        source = shared == null ? TestImages.surface(256, 256, 3, 1)
                : ImageFiles.read(SynthRun.readableImages(shared.resolve("datasets/magnetic-tile/train/good"), m -> { })
                        .get(0)).toChannels(3).resize(256, 256);
        synth.synthesize(source, 0); // build the texture bank outside the measurement
    }

    @Benchmark
    public Sample sample() {
        return synth.synthesize(source, AnomalySynthesizer.sampleSeed(42, index++));
    }
}
