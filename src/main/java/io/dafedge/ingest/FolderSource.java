package io.dafedge.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;

/**
 * {@code folder:<dir>}: a hot folder. Image files (jpg, jpeg, png, bmp) that have stopped changing for the settle time
 * become frames, oldest first, files already there at start included; hidden files ({@code .name}, as rsync and many
 * uploaders write partial files) and other extensions are left alone. When a frame's outcome arrives its file moves to
 * {@code done/} (inspected) or {@code failed/} (failed, dropped or undecodable, with {@code <name>.reason.txt}); a name
 * already taken there gets a {@code -1}, {@code -2}, ... suffix.
 * <p>
 * No file is lost or skipped: the rate cap delays files instead of skipping them, and at most {@code queue} files are
 * in flight, so a full folder never overflows the camera's queue. A file whose frame is dropped after the source was
 * closed (a queue emptied at shutdown) stays where it is and is picked up at the next start. A missing folder is
 * retried with backoff.
 */
public final class FolderSource extends ThreadedSource {
    private static final Logger LOG = Logger.getLogger(FolderSource.class);
    static final Duration DEFAULT_SETTLE = Duration.ofMillis(500);
    static final Duration DEFAULT_POLL = Duration.ofMillis(250);
    static final String DONE = "done";
    static final String FAILED = "failed";
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp");

    private record Seen(long size, Instant modified) {
    }

    private final Path dir;
    private final Duration settle;
    private final Duration poll;
    private final int maxInFlight;
    /** Size and time of every candidate at the previous scan: a file is ready when both have held still. */
    private final Map<Path, Seen> seen = new HashMap<>();
    /** Offered files whose outcome has not arrived; touched by the source thread and the inspector's. */
    private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();
    /** Files that could not be moved: left in place and not offered again while this source runs. */
    private final Set<Path> stuck = ConcurrentHashMap.newKeySet();
    /** Moves happen on the source's and the inspector's threads; one at a time keeps the suffix choice safe. */
    private final Object moveLock = new Object();

    public FolderSource(CameraSettings settings, Path dir) {
        this(settings, dir, DEFAULT_SETTLE, DEFAULT_POLL, Backoff.DEFAULT);
    }

    FolderSource(CameraSettings settings, Path dir, Duration settle, Duration poll, Backoff backoff) {
        super(settings, settings.maxFps(), backoff);
        this.dir = dir.toAbsolutePath().normalize();
        this.settle = settle;
        this.poll = poll;
        this.maxInFlight = settings.queue();
    }

    @Override
    protected String describe() {
        return "hot folder " + dir;
    }

    @Override
    protected void session() throws IOException, InterruptedException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such folder");
        }
        Files.createDirectories(dir.resolve(DONE));
        Files.createDirectories(dir.resolve(FAILED));
        connected();
        while (!closed()) {
            for (Path file : readyFiles()) {
                if (inFlight.size() >= maxInFlight || !awaitRate()) {
                    break;
                }
                offer(file);
            }
            if (pause(poll)) {
                return;
            }
        }
    }

    /** Candidates that have not changed since the previous scan and not for the settle time, oldest first. */
    private List<Path> readyFiles() throws IOException {
        Instant settledBefore = Instant.now().minus(settle);
        Map<Path, Seen> now = new HashMap<>();
        List<Path> ready = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, FolderSource::isCandidate)) {
            for (Path file : entries) {
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue; // moved or deleted since listing
                }
                if (!attrs.isRegularFile()) {
                    continue;
                }
                Seen current = new Seen(attrs.size(), attrs.lastModifiedTime().toInstant());
                now.put(file, current);
                if (current.equals(seen.get(file)) && current.modified().isBefore(settledBefore)
                        && !inFlight.contains(file) && !stuck.contains(file)) {
                    ready.add(file);
                }
            }
        }
        seen.clear();
        seen.putAll(now);
        stuck.retainAll(now.keySet());
        ready.sort(Comparator.comparing((Path f) -> now.get(f).modified()).thenComparing(Path::getFileName));
        return ready;
    }

    static boolean isCandidate(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0
                && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private void offer(Path file) {
        if (!Files.exists(file)) {
            return; // its outcome moved it after the scan listed it
        }
        String name = file.getFileName().toString();
        Image image;
        try {
            image = ImageFiles.read(file);
        } catch (ImageReadException e) {
            undecodable(e.getMessage());
            move(file, FAILED, "undecodable: " + e.getMessage());
            return;
        }
        inFlight.add(file);
        deliver(image, null, name, (status, reason) -> finished(file, status, reason));
    }

    /** The frame's outcome: runs on whichever thread decided it (inspector, queue), so it only renames. */
    private void finished(Path file, FrameOutcome.Status status, String reason) {
        try {
            if (status == FrameOutcome.Status.DROPPED && closed()) {
                LOG.debugf("camera %s: %s dropped at shutdown (%s); left for the next start",
                        settings.id(), file.getFileName(), reason);
                return;
            }
            if (status == FrameOutcome.Status.INSPECTED) {
                move(file, DONE, null);
            } else {
                move(file, FAILED, status.name().toLowerCase(Locale.ROOT) + (reason == null ? "" : ": " + reason));
            }
        } finally {
            inFlight.remove(file);
        }
    }

    /** Moves a file into a sub-folder under a free name, with the reason beside it for failures. */
    private void move(Path file, String subfolder, String reason) {
        synchronized (moveLock) {
            try {
                Path target = freeName(dir.resolve(subfolder), file.getFileName().toString());
                Files.move(file, target);
                if (reason != null) {
                    Files.writeString(target.resolveSibling(target.getFileName() + ".reason.txt"),
                            reason + System.lineSeparator(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                stuck.add(file);
                LOG.errorf("camera %s: cannot move %s to %s/ (%s); it stays in the folder",
                        settings.id(), file, subfolder, reason(e));
            }
        }
    }

    /** {@code name}, or {@code base-N.ext} with the first N free (nothing is ever overwritten). */
    private static Path freeName(Path folder, String name) throws IOException {
        int dot = name.lastIndexOf('.');
        String base = name.substring(0, dot);
        String ext = name.substring(dot);
        Path target = folder.resolve(name);
        for (int n = 1; Files.exists(target) || Files.exists(folder.resolve(target.getFileName() + ".reason.txt")); n++) {
            if (n > 100_000) {
                throw new FileAlreadyExistsException(folder.resolve(name).toString(), null, "no free name left");
            }
            target = folder.resolve(base + "-" + n + ext);
        }
        return target;
    }
}
