package io.dafedge.ingest;

import static io.dafedge.ingest.IngestTesting.FAST;
import static io.dafedge.ingest.IngestTesting.await;
import static io.dafedge.ingest.IngestTesting.awaitState;
import static io.dafedge.ingest.IngestTesting.camera;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration SETTLE = Duration.ofMillis(200);
    private static final Duration POLL = Duration.ofMillis(50);

    private static FolderSource folder(Path dir, double fps, int queue) {
        return new FolderSource(camera("hot", "folder:" + dir, fps, queue), dir, SETTLE, POLL, FAST);
    }

    private static Set<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        // as if written a while ago, so the test does not wait for the settle time of every file
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(5)));
    }

    @Test
    void movesInspectedFilesToDoneAndTheRestToFailedWithTheirReasons(@TempDir Path dir) throws Exception {
        write(dir.resolve("a.png"), IngestTesting.png(32, 32, 10));        // present at start
        Files.createDirectories(dir.resolve("done"));
        Files.writeString(dir.resolve("done").resolve("a.png"), "an older a.png"); // a name already taken
        FrameQueue queue = new FrameQueue("hot", 4);
        try (FolderSource source = folder(dir, 0, 4)) {
            source.start(queue);
            awaitState(source, SourceState.State.RUNNING, WAIT);
            write(dir.resolve("b.JPG"), IngestTesting.jpeg(32, 32, 100));
            write(dir.resolve("c.bmp"), IngestTesting.png(32, 32, 200)); // PNG bytes named .bmp: decodes anyway
            write(dir.resolve("broken.jpg"), "not an image".getBytes());
            write(dir.resolve(".hidden.png"), IngestTesting.png(32, 32, 1));
            write(dir.resolve("notes.txt"), "not for us".getBytes());
            write(dir.resolve("upload.png.part"), IngestTesting.png(32, 32, 1));

            List<String> origins = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Frame frame = queue.poll(WAIT);
                assertTrue(frame != null, "only " + origins + " arrived");
                origins.add(frame.origin());
                assertEquals(32, frame.image().width);
                if (frame.origin().equals("c.bmp")) {
                    frame.outcome().done(FrameOutcome.Status.FAILED, "inspection error: test");
                } else {
                    frame.outcome().done(FrameOutcome.Status.INSPECTED, null);
                }
            }
            assertEquals(Set.of("a.png", "b.JPG", "c.bmp"), Set.copyOf(origins));
            await("broken.jpg moved", WAIT, () -> names(dir.resolve("failed")).size() == 4);
            assertEquals(1, source.counters().undecodable());
            assertEquals(3, source.counters().delivered());
        }
        assertEquals(Set.of("a.png", "a-1.png", "b.JPG"), names(dir.resolve("done")));
        assertEquals(Set.of("broken.jpg", "broken.jpg.reason.txt", "c.bmp", "c.bmp.reason.txt"),
                names(dir.resolve("failed")));
        assertTrue(Files.readString(dir.resolve("failed/broken.jpg.reason.txt")).contains("not a decodable image"));
        assertTrue(Files.readString(dir.resolve("failed/c.bmp.reason.txt")).contains("failed: inspection error: test"));
        assertEquals("an older a.png", Files.readString(dir.resolve("done/a.png")));
        assertEquals(Set.of(".hidden.png", "notes.txt", "upload.png.part"), names(dir));
    }

    @Test
    void waitsForAFileThatIsStillBeingWritten(@TempDir Path dir) throws Exception {
        FrameQueue queue = new FrameQueue("hot", 4);
        Duration settle = Duration.ofMillis(500);
        try (FolderSource source = new FolderSource(camera("hot", "folder", 0, 4), dir, settle, POLL, FAST)) {
            source.start(queue);
            byte[] png = IngestTesting.png(32, 32, 50);
            Path growing = dir.resolve("slow.png");
            // a slow upload: a chunk every 50 ms, each well within the settle time
            try (OutputStream out = Files.newOutputStream(growing)) {
                int chunk = png.length / 10 + 1;
                for (int at = 0; at < png.length; at += chunk) {
                    out.write(png, at, Math.min(chunk, png.length - at));
                    out.flush();
                    Thread.sleep(50);
                    assertEquals(0, queue.offered(), "a file still being written is left alone");
                }
            }
            Frame frame = queue.poll(WAIT);
            assertTrue(frame != null);
            assertEquals(0, source.counters().undecodable());
            frame.outcome().done(FrameOutcome.Status.INSPECTED, null);
            await("slow.png done", WAIT, () -> names(dir.resolve("done")).contains("slow.png"));
        }
    }

    @Test
    void neverOverflowsTheQueueAndDropsAtShutdownStayForTheNextStart(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 6; i++) {
            write(dir.resolve("f" + i + ".png"), IngestTesting.png(32, 32, i * 10));
        }
        FrameQueue queue = new FrameQueue("hot", 2);
        FolderSource source = folder(dir, 0, 2);
        source.start(queue);
        await("a full queue", WAIT, () -> queue.depth() == 2);
        Thread.sleep(5 * POLL.toMillis());
        assertEquals(2, queue.offered(), "no more files in flight than the queue holds");
        Frame first = queue.take();
        first.outcome().done(FrameOutcome.Status.DROPPED, "test drop");
        await("a third file offered", WAIT, () -> queue.offered() == 3);
        assertEquals(0, queue.dropped());

        source.close();
        queue.close(); // shutdown: the two waiting frames are dropped and their files stay
        assertEquals(Set.of(first.origin()), names(dir.resolve("failed")).stream()
                .filter(n -> !n.endsWith(".reason.txt")).collect(Collectors.toSet()));
        assertEquals(5, names(dir).size());

        FrameQueue again = new FrameQueue("hot", 10);
        try (FolderSource restarted = folder(dir, 0, 10)) {
            restarted.start(again);
            await("the 5 files left", WAIT, () -> again.offered() == 5);
        }
    }

    @Test
    void rateCapDelaysFilesInsteadOfSkippingThem(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 4; i++) {
            write(dir.resolve("r" + i + ".png"), IngestTesting.png(32, 32, i));
        }
        FrameQueue queue = new FrameQueue("hot", 10);
        long start = System.nanoTime();
        try (FolderSource source = folder(dir, 5, 10)) {
            source.start(queue);
            await("all 4 files", WAIT, () -> queue.offered() == 4);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= 0.5, "4 files at 5 fps took only " + seconds + " s");
            assertEquals(0, source.counters().skippedByRateCap());
        }
    }

    @Test
    void aMissingFolderIsRetried(@TempDir Path dir) throws Exception {
        Path later = dir.resolve("later");
        FrameQueue queue = new FrameQueue("hot", 4);
        try (FolderSource source = folder(later, 0, 4)) {
            source.start(queue);
            awaitState(source, SourceState.State.RECONNECTING, WAIT);
            assertTrue(source.state().lastError().contains("no such folder"), source.state().lastError());
            Files.createDirectories(later);
            awaitState(source, SourceState.State.RUNNING, WAIT);
            assertTrue(Files.isDirectory(later.resolve("done")) && Files.isDirectory(later.resolve("failed")));
            assertFalse(source.state().lastError() != null);
        }
    }
}
