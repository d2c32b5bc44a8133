package io.dafedge.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dafedge.inspect.Verdict;

class OutboxStoreTest {
    @TempDir
    Path dir;
    private final List<String> drops = new ArrayList<>();

    private OutboxStore open(long quota) throws IOException {
        return new OutboxStore(dir, quota, (reason, verdict, what) -> drops.add(reason.label + " " + verdict + " "
                + what));
    }

    private static OutboxEntry entry(String camera, Verdict verdict, String id, int heatmapBytes) {
        byte[] png = null;
        if (heatmapBytes > 0) {
            png = new byte[heatmapBytes];
            Arrays.fill(png, (byte) id.hashCode());
        }
        return new OutboxEntry(camera, "line", verdict, id, ("{\"resultId\":\"" + id + "\"}")
                .getBytes(StandardCharsets.UTF_8), png);
    }

    /** The camera's entries in sending order, by result id. */
    private static List<String> drain(OutboxStore store, String camera) {
        List<String> ids = new ArrayList<>();
        for (OutboxStore.Stored s = store.next(camera, -1); s != null; s = store.next(camera, s.seq)) {
            ids.add(s.resultId);
        }
        return ids;
    }

    @Test
    void entriesComeBackPerCameraInOrderOnceCommittedAndGoWhenRemoved() throws IOException {
        OutboxStore store = open(1 << 20);
        for (int i = 0; i < 5; i++) {
            store.add(entry("a", Verdict.OK, "a" + i, 100));
            store.add(entry("b", Verdict.NOK, "b" + i, 0));
        }
        assertNull(store.next("a", -1), "nothing may be sent before the folder is forced");
        store.commit();
        assertEquals(List.of("a0", "a1", "a2", "a3", "a4"), drain(store, "a"));
        assertEquals(List.of("b0", "b1", "b2", "b3", "b4"), drain(store, "b"));
        OutboxStore.Stored first = store.next("a", -1);
        OutboxEntry back = store.read(first);
        assertEquals("a0", back.resultId());
        assertArrayEquals(entry("a", Verdict.OK, "a0", 100).heatmapPng(), back.heatmapPng());
        assertEquals("{\"resultId\":\"a0\"}", new String(back.resultJson(), StandardCharsets.UTF_8));
        assertTrue(store.remove(first));
        assertFalse(store.remove(first), "a second acknowledgement changes nothing");
        assertEquals(List.of("a1", "a2", "a3", "a4"), drain(store, "a"));
        assertEquals(9, store.size());
        assertEquals(sizeOnDisk(), store.bytes());
        assertTrue(drops.isEmpty(), drops.toString());
    }

    /** The bytes the file of an entry without heat map takes, measured by a store of its own. */
    private static long fileBytes(Path scratch, OutboxEntry e) throws IOException {
        OutboxStore s = new OutboxStore(scratch, 1 << 20, (r, v, w) -> { });
        OutboxStore.Stored stored = s.add(e);
        long bytes = s.bytes();
        s.remove(stored);
        return bytes;
    }

    private List<String> dropsOf(Runnable step) {
        drops.clear();
        step.run();
        return List.copyOf(drops);
    }

    @Test
    void aFullOutboxShedsOkHeatMapsThenOkResultsThenNokHeatMapsThenNokResultsOldestFirst(@TempDir Path scratch)
            throws IOException {
        int h = 1000;
        long ok = fileBytes(scratch, entry("a", Verdict.OK, "ok01", 0));
        long nok = fileBytes(scratch, entry("a", Verdict.NOK, "nk01", 0));
        long unknown = fileBytes(scratch, entry("a", Verdict.UNKNOWN, "uk01", 0));
        assertTrue(h > 4 * unknown, "heat maps outweigh entry files, as in the appliance");
        // exactly full with these four
        OutboxStore store = open(ok + nok + unknown + nok + 4L * h);
        store.add(entry("a", Verdict.OK, "ok01", h));
        store.add(entry("a", Verdict.NOK, "nk01", h));
        store.add(entry("a", Verdict.UNKNOWN, "uk01", h));
        store.add(entry("a", Verdict.NOK, "nk02", h));
        assertTrue(drops.isEmpty(), drops.toString());

        assertEquals(List.of("heatmap-quota OK heat map of ok01"),
                dropsOf(() -> store.add(entry("a", Verdict.NOK, "nk03", 0))));
        assertEquals(List.of("heatmap-quota UNKNOWN heat map of uk01", "heatmap-quota OK heat map of ok02"),
                dropsOf(() -> store.add(entry("a", Verdict.OK, "ok02", 2 * h))), "the newest heat map goes last");
        assertEquals(List.of("quota OK ok01", "quota UNKNOWN uk01", "quota OK ok02"),
                dropsOf(() -> store.add(entry("a", Verdict.NOK, "nk04", 2 * h))));
        assertEquals(List.of("heatmap-quota OK heat map of ok03", "quota OK ok03"),
                dropsOf(() -> store.add(entry("a", Verdict.OK, "ok03", h))), "an OK result never pushes out NOK");
        assertEquals(List.of("heatmap-quota NOK heat map of nk01"),
                dropsOf(() -> store.add(entry("a", Verdict.NOK, "nk05", 0))));
        assertEquals(List.of("heatmap-quota NOK heat map of nk02", "heatmap-quota NOK heat map of nk04"),
                dropsOf(() -> store.add(entry("a", Verdict.NOK, "nk06", 3 * h))));
        assertEquals(List.of("heatmap-quota NOK heat map of nk06", "heatmap-quota NOK heat map of nk07"),
                dropsOf(() -> store.add(entry("a", Verdict.NOK, "nk07", 5 * h))));
        store.commit();
        assertEquals(List.of("nk01", "nk02", "nk03", "nk04", "nk05", "nk06", "nk07"), drain(store, "a"));
        // nothing but NOK results left: the oldest of them make room
        byte[] big = new byte[(int) (store.quotaBytes() - 3 * nok)];
        Arrays.fill(big, (byte) ' ');
        assertEquals(List.of("quota NOK nk01", "quota NOK nk02", "quota NOK nk03", "quota NOK nk04", "quota NOK nk05"),
                dropsOf(() -> store.add(new OutboxEntry("a", "line", Verdict.NOK, "nk08", big, null))));
        store.commit();
        assertEquals(List.of("nk06", "nk07", "nk08"), drain(store, "a"));
        assertTrue(store.bytes() <= store.quotaBytes());
        assertEquals(sizeOnDisk(), store.bytes());
    }

    @Test
    void whatIsOnDiskIsReloadedInOrderAndNumberingContinues() throws IOException {
        OutboxStore store = open(1 << 20);
        for (int i = 0; i < 20; i++) {
            store.add(entry(i % 3 == 0 ? "a" : "b", i % 4 == 0 ? Verdict.NOK : Verdict.OK, "r" + i, i % 2 * 50));
        }
        store.commit();
        store.remove(store.next("a", -1));
        List<String> a = drain(store, "a");
        List<String> b = drain(store, "b");

        OutboxStore again = open(1 << 20);
        assertEquals(a, drain(again, "a"));
        assertEquals(b, drain(again, "b"));
        assertEquals(store.bytes(), again.bytes());
        again.add(entry("a", Verdict.OK, "after", 0));
        again.commit();
        List<String> expected = new ArrayList<>(a);
        expected.add("after");
        assertEquals(expected, drain(again, "a"));
        assertTrue(drops.isEmpty(), drops.toString());
    }

    @Test
    void aHalfWrittenOrDamagedFileDoesNotStopTheRestFromLoading() throws IOException {
        OutboxStore store = open(1 << 20);
        for (int i = 0; i < 4; i++) {
            store.add(entry("a", Verdict.NOK, "r" + i, 300));
        }
        store.commit();
        long second = store.next("a", store.next("a", -1).seq).seq;
        long third = second + 1;
        // a crash in the middle of a write leaves a temporary file and, before the entry's rename, an orphan heat map
        Files.write(dir.resolve("0000000000000099.entry.tmp"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("0000000000000098.png"), new byte[] {4});
        // a file cut short (a disk that lied about forcing) and a heat map that lost bytes
        byte[] entryFile = Files.readAllBytes(store.entryFile(second));
        Files.write(store.entryFile(second), Arrays.copyOf(entryFile, entryFile.length / 2));
        Files.write(store.heatmapFile(third), new byte[10]);

        OutboxStore again = open(1 << 20);
        assertEquals(List.of("r0", "r2", "r3"), drain(again, "a"));
        assertEquals(2, drops.size(), drops.toString());
        assertTrue(drops.get(0).startsWith("corrupt UNKNOWN"), drops.toString());
        assertEquals("corrupt NOK heat map of r2", drops.get(1));
        assertNull(again.read(again.next("a", second)).heatmapPng(), "r2 goes without its damaged heat map");
        assertNotNull(again.read(again.next("a", -1)).heatmapPng());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp") || f.endsWith("0000000000000098.png")),
                    "leftovers of interrupted writes are deleted");
        }
        assertEquals(sizeOnDisk(), again.bytes());
    }

    @Test
    void aFailingWriteIsCountedNotThrownAndWritingResumesWhenTheFolderIsBack() throws IOException {
        OutboxStore store = open(1 << 20);
        OutboxStore.Stored before = store.add(entry("a", Verdict.OK, "before", 0));
        store.commit();
        // the folder disappears and a plain file takes its name: every write fails, as on a dead disk
        for (Path f : Files.list(dir).toList()) {
            Files.delete(f);
        }
        Files.delete(dir);
        Files.write(dir, new byte[] {0});
        assertNull(store.add(entry("a", Verdict.NOK, "lost", 200)));
        assertEquals(List.of("write-error NOK lost"), drops);
        Files.delete(dir);
        assertNotNull(store.add(entry("a", Verdict.NOK, "after", 200)), "writes resume once the folder can be made");
        store.commit();
        assertEquals("after", store.read(store.next("a", before.seq)).resultId());
        assertEquals(1, drops.size());
    }

    private long sizeOnDisk() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
