package io.dafedge.command;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.ingest.FrameSources;
import io.dafedge.inspect.Appliance;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.Inspector;
import io.dafedge.inspect.LineModels;
import io.dafedge.inspect.LineSetup;
import io.dafedge.inspect.Postprocess;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelCatalog;
import io.dafedge.model.TestBundles;
import io.dafedge.synth.Image;
import io.dafedge.synth.demo.DemoLine;
import io.dafedge.synth.demo.DemoProduct;

/**
 * A small appliance for the command tests, not started (frames are inspected by calling the workers): line "two"
 * with upload cameras "a" and "b", line "one" with camera "solo"; the lines' memory in a map; bundles the catalog
 * knows in {@code models/} of a temporary folder.
 */
final class Fixture implements AutoCloseable {
    static final String TOKEN = "s3cret";
    static final List<String> ALL = CommandType.names();
    private static final int SIDE = 64;

    /** The lines' memory: what LineSetup remembered, and how often it was asked to. */
    static final class Remembered implements LineSetup.Memory {
        final Map<String, LineSetup.Saved> saved = new HashMap<>();
        int saves;

        @Override
        public synchronized Optional<LineSetup.Saved> load(String line) {
            return Optional.ofNullable(saved.get(line));
        }

        @Override
        public synchronized void save(String line, LineSetup.Saved s) {
            saved.put(line, s);
            saves++;
        }
    }

    /** What the result sinks got: the result and the frame it came from. */
    record Published(InspectionResult result, Frame frame) {
    }

    final LineModels models = new LineModels();
    final Remembered memory = new Remembered();
    final List<Published> published = new CopyOnWriteArrayList<>();
    final Appliance appliance;
    final LineSetup setup;
    final Path modelsFolder;
    final Commands commands;

    Fixture(Path tmp, List<String> allowed) throws Exception {
        List<CameraSettings> cams = List.of(camera("a", "two"), camera("b", "two"), camera("solo", "one"));
        appliance = new Appliance(cams, models, new Inspector(models::current, new Postprocess(), Clock.systemUTC()),
                List.of((r, f) -> published.add(new Published(r, f))), FrameSources::create);
        setup = new LineSetup(models, memory, 1);
        modelsFolder = Files.createDirectories(tmp.resolve("models"));
        commands = new Commands(new CommandPolicy(TOKEN, allowed), appliance, setup,
                new ModelCatalog(List::of, List.of(modelsFolder)));
    }

    private static CameraSettings camera(String id, String line) {
        return new CameraSettings(id, line, "http", Optional.empty(), 0, 0, 4);
    }

    Ack send(String line, String json) {
        return commands.handle(line, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A frame from the camera, inspected as its worker would. */
    InspectionResult inspect(String camera, String partId) {
        Frame f = Frame.arrived(camera, partId, DEMO.good(published.size()), "test", FrameOutcome.NONE);
        return appliance.camera(camera).orElseThrow().worker().handle(f);
    }

    /** The part id the camera's next frame gets (offering one, which uses up a pending id). */
    String nextPartId(String camera) throws InterruptedException {
        Appliance.Camera c = appliance.camera(camera).orElseThrow();
        c.queue().offer(Frame.arrived(camera, null, new Image(SIDE, SIDE, 3), "probe", FrameOutcome.NONE));
        return c.queue().take().partId();
    }

    static final DemoLine DEMO = new DemoLine(DemoProduct.FLANGE, SIDE, SIDE);

    /** A real PaDiM bundle (see {@link TestBundles#padim}). */
    static ModelBundle padim(Path dir, long seed) throws Exception {
        return TestBundles.padim(dir, seed);
    }

    @Override
    public void close() {
        appliance.close();
    }
}
