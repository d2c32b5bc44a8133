package io.dafedge.ingest;

import java.util.Objects;
import java.util.Optional;

/**
 * One camera as the site configured it ({@code daf.cameras.<id>.*}).
 *
 * @param source   {@code http}, {@code folder:<dir>}, {@code mjpeg:<url>}, {@code ffmpeg:<url or file>},
 *                 {@code v4l2:<device>} or {@code demo}
 * @param roi      the part of the frame that is inspected, in the frame's pixels (before rotation); empty = all
 * @param rotation clockwise degrees applied after the ROI crop: 0, 90, 180 or 270
 * @param maxFps   frames per second a streaming source delivers at most; 0 = as fast as they come
 * @param queue    frames waiting for inspection before the oldest is dropped
 */
public record CameraSettings(String id, String line, String source, Optional<Roi> roi, int rotation, double maxFps,
        int queue) {
    public CameraSettings {
        Objects.requireNonNull(id);
        Objects.requireNonNull(line);
        Objects.requireNonNull(source);
        Objects.requireNonNull(roi);
        if (rotation % 90 != 0 || rotation < 0 || rotation >= 360) {
            throw new IllegalArgumentException("camera " + id + ": rotation must be 0, 90, 180 or 270, got " + rotation);
        }
        if (maxFps < 0) {
            throw new IllegalArgumentException("camera " + id + ": max-fps must not be negative");
        }
        if (queue < 1) {
            throw new IllegalArgumentException("camera " + id + ": queue must hold at least one frame");
        }
    }

    /** The same camera inspecting {@code roi} of its frames (empty: the whole frame). */
    public CameraSettings withRoi(Optional<Roi> roi) {
        return new CameraSettings(id, line, source, roi, rotation, maxFps, queue);
    }

    /** A rectangle in frame pixels. */
    public record Roi(int x, int y, int width, int height) {
        public Roi {
            if (x < 0 || y < 0 || width < 1 || height < 1) {
                throw new IllegalArgumentException("ROI needs x, y >= 0 and a positive size");
            }
        }

        /** Parses {@code x,y,width,height}. */
        public static Roi parse(String text) {
            String[] p = text.split(",");
            if (p.length != 4) {
                throw new IllegalArgumentException("ROI must be x,y,width,height, got '" + text + "'");
            }
            try {
                return new Roi(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                        Integer.parseInt(p[2].trim()), Integer.parseInt(p[3].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ROI must be four integers x,y,width,height, got '" + text + "'");
            }
        }
    }
}
