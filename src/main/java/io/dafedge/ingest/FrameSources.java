package io.dafedge.ingest;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Builds a camera's source from its {@code source} setting. */
public final class FrameSources {
    static final String FORMS = "http, demo, folder:<dir>, mjpeg:<http(s) url>, ffmpeg:<url or file>, "
            + "v4l2:<device or index>";

    private FrameSources() {
    }

    public static FrameSource create(CameraSettings settings) {
        return create(settings, FfmpegSource.DEFAULT_BINARY);
    }

    /**
     * @param ffmpeg the ffmpeg program for {@code ffmpeg:} sources (a name on the PATH or a path)
     * @throws IllegalArgumentException naming the camera and the accepted forms, for a spec that is not one of them
     */
    public static FrameSource create(CameraSettings settings, String ffmpeg) {
        String spec = settings.source().trim();
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String arg = colon < 0 ? null : spec.substring(colon + 1).trim();
        switch (kind) {
            case "http":
                if (arg == null) {
                    return new HttpUploadSource();
                }
                break;
            case "demo":
                if (arg == null) {
                    return new DemoSource(settings);
                }
                break;
            case "folder":
                if (arg != null && !arg.isEmpty()) {
                    return new FolderSource(settings, path(settings, arg));
                }
                break;
            case "mjpeg":
                if (arg != null && !arg.isEmpty()) {
                    return new MjpegSource(settings, url(settings, arg));
                }
                break;
            case "ffmpeg":
                if (arg != null && !arg.isEmpty()) {
                    return new FfmpegSource(settings, arg, ffmpeg);
                }
                break;
            case "v4l2":
                if (arg != null && !arg.isEmpty()) {
                    return new V4l2Source(settings, arg);
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("camera " + settings.id() + ": unknown source '" + settings.source()
                + "'; use one of " + FORMS);
    }

    private static Path path(CameraSettings settings, String dir) {
        try {
            return Path.of(dir);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("camera " + settings.id() + ": bad folder '" + dir + "': "
                    + e.getMessage());
        }
    }

    private static URI url(CameraSettings settings, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null) {
                throw new URISyntaxException(text, "no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("camera " + settings.id() + ": bad MJPEG URL '" + text + "': "
                    + e.getMessage());
        }
    }
}
