package io.dafedge.publish;

import java.util.Objects;

import io.dafedge.inspect.Verdict;

/**
 * One result as the outbox keeps it until the broker has acknowledged it: what it is about, the result JSON and,
 * when there is one, the heat-map PNG. How it becomes MQTT messages is decided only when it is sent
 * ({@link MessageEncoding}).
 *
 * @param heatmapPng null when the result has no heat map, heat maps are not wanted, or the outbox shed it for room
 */
public record OutboxEntry(String camera, String line, Verdict verdict, String resultId, byte[] resultJson,
        byte[] heatmapPng) {
    public OutboxEntry {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(resultId, "resultId");
        Objects.requireNonNull(resultJson, "resultJson");
    }
}
