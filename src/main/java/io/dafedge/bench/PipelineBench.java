package io.dafedge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.ingest.FrameQueue;
import io.dafedge.inspect.CameraWorker;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.Inspector;
import io.dafedge.inspect.LineModel;
import io.dafedge.inspect.LineModels;
import io.dafedge.inspect.Postprocess;
import io.dafedge.model.Detector;
import io.dafedge.publish.EmbeddedBroker;
import io.dafedge.publish.MessageEncoding;
import io.dafedge.publish.MqttPublisher;
import io.dafedge.publish.Outbox;
import io.dafedge.publish.ResultMessages;
import io.dafedge.publish.ResultPublisher;
import io.dafedge.publish.StatusMessages;
import io.dafedge.publish.Topics;
import io.dafedge.store.ResultWriter;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;
import io.dafedge.synth.demo.DemoLine;
import io.dafedge.synth.demo.DemoProduct;

/**
 * The appliance's main loop for one camera, in one process, measured: uploaded PNGs decoded and queued as the upload
 * API does, the camera's {@link CameraWorker} inspecting them with the given detector, results published (with heat
 * maps, the appliance's default) through the appliance's disk outbox (in a temporary folder, deleted afterwards) and
 * an embedded broker to an independent subscriber that notes when each arrives. The store writer saves nothing: the appliance writes the database off the inspection thread in batches,
 * so only its hand-off is on a frame's path.
 * <p>
 * The bench's own thread stands in for the worker's loop and calls {@link CameraWorker#handle} itself, to time it;
 * everything a frame goes through is the appliance's code. Frames are offered only when the queue has room, so
 * none is dropped for the bench's sake; drops, failures and results that never arrive are counted all the same.
 */
public final class PipelineBench {
    static final String SITE = "bench";
    static final String LINE = "bench-line";
    static final String CAMERA = "bench-cam";
    /** The appliance's default camera queue. */
    static final int QUEUE = 8;
    /** The appliance's store queue. */
    private static final int STORE_QUEUE = 2000;
    /** The appliance's default outbox quota. */
    private static final long OUTBOX_BYTES = 512L * 1024 * 1024;
    /** The paced phase offers frames at this fraction of the measured throughput: busy, yet the queue can drain. */
    public static final double PACED_LOAD = 0.7;
    private static final int DISTINCT_FRAMES = 16;
    private static final double DEFECT_RATE = 0.2;
    /** A phase gives up waiting for its last results when none has come for this long. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param frames    frames measured in each of the two phases
     * @param warmup    frames sent through first, not measured (JIT, the detector's first runs, the connections)
     * @param threshold the line's threshold; any finite value, the verdicts do not matter here
     * @param side      side of the square demo frames
     * @param okHeatmaps whether OK frames get a heat map, as the appliance's daf.mqtt.ok-heatmaps
     */
    public record Settings(int frames, int warmup, float threshold, int side, boolean okHeatmaps) {
        public Settings {
            if (frames < 1 || warmup < 0) {
                throw new IllegalArgumentException("need at least one frame and no negative warm-up");
            }
            if (!Float.isFinite(threshold)) {
                throw new IllegalArgumentException("the threshold must be a finite number, got " + threshold);
            }
            if (side < DemoLine.MIN_SIDE || side > DemoLine.MAX_SIDE) {
                throw new IllegalArgumentException("frame side must be " + DemoLine.MIN_SIDE + " to "
                        + DemoLine.MAX_SIDE + " px, got " + side);
            }
        }
    }

    /** One frame's timestamps and times, filled in by the producer, the inspecting thread and the subscriber. */
    private static final class Sample {
        final long decodeStart;
        final long decodeNanos;
        final long arrivedNanos;
        volatile long handleNanos;
        volatile double detectMs;
        /** The worker's time outside the inspection: the sinks' hand-off and the model lock. */
        volatile double handOffMs;
        volatile double postprocessMs;
        volatile long receivedNanos;
        volatile boolean failed;
        /** Inspected and received: only then is every field set and the phase told. */
        private final AtomicInteger pending = new AtomicInteger(2);
        private final CountDownLatch phase;

        Sample(long decodeStart, long decodeNanos, long arrivedNanos, CountDownLatch phase) {
            this.decodeStart = decodeStart;
            this.decodeNanos = decodeNanos;
            this.arrivedNanos = arrivedNanos;
            this.phase = phase;
        }

        void inspected(long nanos, InspectionResult result) {
            if (result == null) {
                failed = true;
                finish(2); // no result will be published
                return;
            }
            handleNanos = nanos;
            detectMs = result.detectMs();
            postprocessMs = result.postprocessMs();
            handOffMs = nanos / 1e6 - result.preprocessMs() - result.detectMs() - result.postprocessMs();
            finish(1);
        }

        /** Only the first delivery counts: QoS 1 may deliver twice. Called on the subscriber's one thread. */
        void received(long nanos) {
            if (receivedNanos == 0) {
                receivedNanos = nanos;
                finish(1);
            }
        }

        private void finish(int parts) {
            if (pending.addAndGet(-parts) == 0) {
                phase.countDown();
            }
        }

        boolean complete() {
            return pending.get() == 0 && !failed;
        }

        double overheadMs() {
            return (decodeNanos + handleNanos) / 1e6 - detectMs;
        }
    }

    private final List<byte[]> pngs;
    private final FrameQueue queue;
    private final CameraWorker worker;
    /** Free places in the queue: taken before a frame is offered, given back when the worker takes one. */
    private final Semaphore room = new Semaphore(QUEUE);
    private final Map<UUID, Sample> samples = new ConcurrentHashMap<>();
    private int next;

    private PipelineBench(List<byte[]> pngs, FrameQueue queue, CameraWorker worker) {
        this.pngs = pngs;
        this.queue = queue;
        this.worker = worker;
    }

    /**
     * Runs warm-up, a throughput phase (frames offered as fast as the queue takes them) and a paced phase at
     * {@link #PACED_LOAD} of the measured throughput. The detector stays the caller's to close.
     *
     * @param progress told what the bench is doing, a line at a time
     * @throws IOException when the broker cannot start, the publisher cannot connect, or no result arrives at all
     */
    public static PipelineReport run(Detector detector, String modelId, Settings settings, Consumer<String> progress)
            throws IOException, InterruptedException {
        List<byte[]> pngs = demoPngs(settings.side());
        Topics topics = new Topics(SITE);
        Path outboxDir = Files.createTempDirectory("daf-bench-outbox");
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
                MqttPublisher mqtt = publisher(broker, topics);
                Outbox outbox = new Outbox(outboxDir, OUTBOX_BYTES, mqtt, MessageEncoding.json(topics));
                ResultWriter writer = new ResultWriter(STORE_QUEUE, batch -> { })) {
            // not closed: closing it would close the caller's detector
            LineModels models = new LineModels();
            models.activate(LINE, new LineModel(detector, settings.threshold(), modelId, 1));
            CameraSettings camera = new CameraSettings(CAMERA, LINE, "http", Optional.empty(), 0, 0, QUEUE);
            FrameQueue queue = new FrameQueue(CAMERA, QUEUE);
            // the appliance's default: only NOK frames get a thumbnail (a threshold of 0 makes every frame NOK)
            Inspector inspector = new Inspector(models::current, new Postprocess(), Clock.systemUTC(),
                    Inspector.picturesKept(false), Inspector.overlaysMade(settings.okHeatmaps(), false));
            CameraWorker worker = new CameraWorker(camera, queue, inspector, models,
                    List.of(new ResultPublisher(outbox, SITE, true), writer));
            PipelineBench bench = new PipelineBench(pngs, queue, worker);
            MqttClient subscriber = bench.subscribe(broker.url(), topics.result(LINE, CAMERA));
            Thread inspecting = new Thread(bench::inspect, "bench-inspect");
            inspecting.setDaemon(true);
            inspecting.start();
            try {
                return bench.measure(settings, progress);
            } finally {
                queue.close();
                inspecting.join(10_000);
                subscriber.disconnect();
                subscriber.close();
            }
        } catch (MqttException e) {
            throw new IOException("MQTT: " + e.getMessage(), e);
        } finally {
            // what the subscriber had not acknowledged when the bench ended is left in the flat folder
            try (Stream<Path> files = Files.list(outboxDir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(outboxDir);
        }
    }

    private PipelineReport measure(Settings settings, Consumer<String> progress) throws IOException,
            InterruptedException {
        progress.accept("warm-up: " + settings.warmup() + " frames");
        phase(settings.warmup(), 0);
        progress.accept("throughput: " + settings.frames() + " frames as fast as the queue takes them");
        List<Sample> full = phase(settings.frames(), 0);
        List<Sample> fullDone = full.stream().filter(Sample::complete).toList();
        if (fullDone.isEmpty()) {
            throw new IOException("no result of the throughput phase reached the MQTT subscriber");
        }
        long lastReceipt = fullDone.stream().mapToLong(s -> s.receivedNanos).max().orElseThrow();
        double fps = full.size() / ((lastReceipt - full.get(0).decodeStart) / 1e9);
        double paced = PACED_LOAD * fps;
        progress.accept(String.format(Locale.ROOT, "latency: %d frames paced at %.1f frames/s",
                settings.frames(), paced));
        List<Sample> pacedPhase = phase(settings.frames(), (long) (1e9 / paced));
        List<Sample> done = pacedPhase.stream().filter(Sample::complete).toList();
        double overhead = done.stream().mapToDouble(Sample::overheadMs).sum();
        double total = done.stream().mapToDouble(s -> (s.decodeNanos + s.handleNanos) / 1e6).sum();
        List<Sample> measured = new ArrayList<>(full);
        measured.addAll(pacedPhase);
        return new PipelineReport(settings.frames(), settings.warmup(), queue.dropped(),
                measured.stream().filter(s -> s.failed).count(),
                measured.stream().filter(s -> !s.failed && s.receivedNanos == 0).count(), fps, paced,
                of(done, s -> (s.receivedNanos - s.arrivedNanos) / 1e6), of(done, Sample::overheadMs),
                of(fullDone, Sample::overheadMs), of(done, s -> s.detectMs), of(done, s -> s.decodeNanos / 1e6),
                of(done, s -> s.postprocessMs), of(done, s -> s.handOffMs), overhead / total);
    }

    /**
     * Offers {@code n} frames, one per {@code intervalNanos} (0: as fast as the queue has room), and waits until
     * each is inspected and received, or failed, or nothing has come for a while.
     */
    private List<Sample> phase(int n, long intervalNanos) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(n);
        List<Sample> phase = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + i * intervalNanos;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            room.acquire();
            long t0 = System.nanoTime();
            Image image = decode(pngs.get(next++ % pngs.size()));
            long decoded = System.nanoTime();
            Frame frame = Frame.arrived(CAMERA, null, image, "bench", FrameOutcome.NONE);
            Sample s = new Sample(t0, decoded - t0, frame.arrivedNanos(), done);
            samples.put(frame.resultId(), s);
            phase.add(s);
            queue.offer(frame);
        }
        await(done);
        return phase;
    }

    private static void await(CountDownLatch done) throws InterruptedException {
        long left = done.getCount();
        long lastProgress = System.nanoTime();
        while (!done.await(1, TimeUnit.SECONDS)) {
            if (done.getCount() != left) {
                left = done.getCount();
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
                return; // what never came is counted as missing
            }
        }
    }

    /** The worker's loop, timed: take a frame, hand it to {@link CameraWorker#handle}. Ends when the queue closes. */
    private void inspect() {
        try {
            for (Frame frame = queue.take(); frame != null; frame = queue.take()) {
                room.release();
                Sample s = samples.get(frame.resultId());
                long t0 = System.nanoTime();
                InspectionResult result = worker.handle(frame);
                s.inspected(System.nanoTime() - t0, result);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An independent client, as a line's PLC or MES would be; notes the receipt time before anything else. */
    private MqttClient subscribe(String url, String topic) throws MqttException {
        MqttClient client = new MqttClient(url, "daf-edge-bench-subscriber", new MemoryPersistence());
        client.connect();
        client.subscribe(topic, 1, (t, m) -> received(System.nanoTime(), m));
        return client;
    }

    private void received(long nanos, MqttMessage message) throws IOException {
        JsonNode id = JSON.readTree(message.getPayload()).path("resultId");
        // a payload without a result id leaves its frame missing, and is reported so; throwing would disconnect us
        Sample s = id.isTextual() ? samples.get(UUID.fromString(id.asText())) : null;
        if (s != null) {
            s.received(nanos);
        }
    }

    private static MqttPublisher publisher(EmbeddedBroker broker, Topics topics) throws MqttException, IOException,
            InterruptedException {
        MqttPublisher mqtt = new MqttPublisher(new MqttPublisher.Connection(broker.url(), "daf-edge-bench", null, null),
                topics.status(), ResultMessages.bytes(StatusMessages.offline(SITE)));
        for (int i = 0; i < 200 && !mqtt.connected(); i++) {
            Thread.sleep(50);
        }
        if (!mqtt.connected()) {
            mqtt.close();
            throw new IOException("the MQTT publisher did not connect to the embedded broker at " + broker.url()
                    + ": " + mqtt.lastError());
        }
        return mqtt;
    }

    /** Demo frames of the flange line, a fifth with a defect, as PNG: what a camera would upload. */
    private static List<byte[]> demoPngs(int side) {
        DemoLine line = new DemoLine(DemoProduct.FLANGE, side, side);
        List<byte[]> pngs = new ArrayList<>(DISTINCT_FRAMES);
        for (int seed = 0; seed < DISTINCT_FRAMES; seed++) {
            pngs.add(ImageFiles.encodePng(line.frame(seed, DEFECT_RATE).image()));
        }
        return pngs;
    }

    private static Image decode(byte[] png) {
        try {
            return ImageFiles.decode(png, "bench.png");
        } catch (ImageReadException e) {
            throw new IllegalStateException("a PNG the bench encoded itself does not decode", e);
        }
    }

    private static Distribution of(List<Sample> samples, ToDoubleFunction<Sample> value) {
        return Distribution.of(samples.stream().mapToDouble(value).toArray());
    }
}
