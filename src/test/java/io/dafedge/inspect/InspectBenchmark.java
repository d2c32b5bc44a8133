package io.dafedge.inspect;

import java.time.Clock;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.model.AnomalyMap;
import io.dafedge.model.Detector;
import io.dafedge.model.Maps;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.TestImages;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The inspection pipeline's own cost per 256x256 RGB frame, without the detector: {@code inspect} is the whole
 * {@link Inspector} with a detector that hands back a ready map (smooth background, two defects); the others split
 * it into its larger parts. One thread; pin the JVM to one core to keep OpenCV to it too.
 * Run: {@code taskset -c 1 ./mvnw -Pbench test-compile exec:exec -Dbench=InspectBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class InspectBenchmark {
    private static final int SIZE = 256;
    private static final float THRESHOLD = 1f;

    private final Postprocess postprocess = new Postprocess();
    private CameraSettings camera;
    private FrameGeometry geometry;
    private Frame frame;
    private AnomalyMap map;
    private Inspector inspector;
    private Image overlay;

    @Setup
    public void setup() {
        ImageFiles.loadOpenCv();
        camera = new CameraSettings("cam", "line", "http", Optional.empty(), 0, 0, 4);
        Image image = TestImages.surface(SIZE, SIZE, 3, 7);
        frame = Frame.arrived("cam", null, image, "bench", FrameOutcome.NONE);
        geometry = FrameGeometry.of(camera, SIZE, SIZE);
        map = smoothMap();
        Detector ready = new Detector() {
            @Override
            public AnomalyMap score(Image img) {
                return map;
            }

            @Override
            public int inputSize() {
                return SIZE;
            }

            @Override
            public void close() {
            }
        };
        inspector = new Inspector(line -> Optional.of(new LineModel(ready, THRESHOLD, "model-1", 1)), postprocess,
                Clock.systemUTC());
        overlay = HeatMapOverlay.draw(image, map.values(), 0, 2 * THRESHOLD, Postprocess.OVERLAY_ALPHA);
    }

    /** Blurred noise around 0.4 of the threshold with two blobs above it, like a NOK part's map. */
    private static AnomalyMap smoothMap() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] v = new float[SIZE * SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextDouble(0.8);
        }
        v = Maps.gaussianBlur(v, SIZE, SIZE, 4);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double a = Math.exp(-((x - 60) * (x - 60) + (y - 80) * (y - 80)) / 200.0);
                double b = Math.exp(-((x - 190) * (x - 190) + (y - 170) * (y - 170)) / 450.0);
                v[y * SIZE + x] += (float) (1.5 * a + 1.2 * b);
            }
        }
        return new AnomalyMap(SIZE, SIZE, v, Maps.topKMean(v, 50));
    }

    @Benchmark
    public InspectionResult inspect() {
        return inspector.inspect(frame, camera);
    }

    @Benchmark
    public Regions regions() {
        return Regions.find(map, THRESHOLD, geometry, Postprocess.DEFAULT_MAX_REGIONS);
    }

    @Benchmark
    public Image overlayDraw() {
        return HeatMapOverlay.draw(frame.image(), map.values(), 0, 2 * THRESHOLD, Postprocess.OVERLAY_ALPHA);
    }

    @Benchmark
    public byte[] overlayEncodePng() {
        return ImageFiles.encodePng(overlay);
    }

    @Benchmark
    public byte[] thumbnailPng() {
        return postprocess.thumbnailPng(frame.image());
    }
}
