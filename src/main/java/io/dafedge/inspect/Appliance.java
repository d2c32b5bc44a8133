package io.dafedge.inspect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.FrameQueue;
import io.dafedge.ingest.FrameSource;

/**
 * The main loop's parts for every camera: its source, its bounded queue, its inspection thread; and the models of
 * the lines. Ingestion never waits for inspection: a source only offers to the queue, which drops its oldest frame
 * when full.
 */
public final class Appliance implements AutoCloseable {
    /** One camera's parts; {@code settings} as configured, the ROI in force is the worker's {@code camera()}. */
    public record Camera(CameraSettings settings, FrameSource source, FrameQueue queue, CameraWorker worker) {
    }

    private final Map<String, Camera> cameras = new LinkedHashMap<>();
    private final LineModels models;

    public Appliance(List<CameraSettings> settings, LineModels models, Inspector inspector, List<ResultSink> sinks,
            Function<CameraSettings, FrameSource> sources) {
        this.models = models;
        for (CameraSettings s : settings) {
            FrameQueue queue = new FrameQueue(s.id(), s.queue());
            CameraWorker worker = new CameraWorker(s, queue, inspector, models, sinks);
            cameras.put(s.id(), new Camera(s, sources.apply(s), queue, worker));
        }
    }

    /** Starts every camera's inspection thread, then its source. */
    public void start() {
        for (Camera c : cameras.values()) {
            c.worker().start();
            c.source().start(c.queue());
        }
    }

    public Optional<Camera> camera(String id) {
        return Optional.ofNullable(cameras.get(id));
    }

    public Collection<Camera> cameras() {
        return Collections.unmodifiableCollection(cameras.values());
    }

    /** The lines the cameras belong to, in configuration order. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (Camera c : cameras.values()) {
            if (!lines.contains(c.settings().line())) {
                lines.add(c.settings().line());
            }
        }
        return lines;
    }

    public LineModels models() {
        return models;
    }

    /** Stops the sources first (no new frames), then the inspection threads, then closes the models. */
    @Override
    public void close() {
        cameras.values().forEach(c -> c.source().close());
        cameras.values().forEach(c -> c.worker().close());
        models.close();
    }
}
