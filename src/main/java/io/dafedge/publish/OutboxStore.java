package io.dafedge.publish;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32;

import org.jboss.logging.Logger;

import io.dafedge.inspect.Verdict;

/**
 * The outbox's folder: one file per entry ({@code <seq>.entry}: header, result JSON, CRC) plus its heat map beside it
 * ({@code <seq>.png}), the sequence number growing with every entry, so name order is arrival order. A file is
 * written under a temporary name, forced to disk and renamed, and the folder is forced once per batch
 * ({@link #commit}); a crash leaves at worst a temporary file, which loading deletes. An entry file that fails its
 * CRC is dropped (counted) on loading, the others load.
 * <p>
 * The quota counts the files' bytes. Making room takes, oldest first: heat maps of OK and UNKNOWN entries, those
 * entries, heat maps of NOK entries, NOK entries; the entry being added counts as the newest of its kind, so an OK
 * result never pushes out a NOK one. Thread-safe: the writer adds, the sender reads, acknowledgements remove.
 */
final class OutboxStore {
    private static final Logger LOG = Logger.getLogger(OutboxStore.class);
    private static final int MAGIC = 0x4441464f; // "DAFO"
    private static final int VERSION = 1;
    static final String ENTRY = ".entry";
    static final String HEATMAP = ".png";
    private static final String TMP = ".tmp";

    /** Told of every result or heat map the store gives up, with its verdict (UNKNOWN when unreadable). */
    interface Drops {
        void dropped(Outbox.Drop reason, Verdict verdict, String what);
    }

    /** What the store keeps in memory of an entry on disk: enough to order, evict and find its files. */
    static final class Stored {
        final long seq;
        final String camera;
        final Verdict verdict;
        final String resultId;
        final long entryBytes;
        long heatmapBytes;
        boolean removed;

        Stored(long seq, String camera, Verdict verdict, String resultId, long entryBytes, long heatmapBytes) {
            this.seq = seq;
            this.camera = camera;
            this.verdict = verdict;
            this.resultId = resultId;
            this.entryBytes = entryBytes;
            this.heatmapBytes = heatmapBytes;
        }

        boolean nok() {
            return verdict == Verdict.NOK;
        }

        @Override
        public String toString() {
            return verdict + " result " + resultId + " of camera " + camera;
        }
    }

    private final Path dir;
    private final long quotaBytes;
    private final Drops drops;
    private final Map<String, TreeMap<Long, Stored>> byCamera = new HashMap<>();
    // eviction order per kind, oldest first; removed entries (and shed heat maps) are skipped when met
    private final ArrayDeque<Stored> lowHeatmaps = new ArrayDeque<>();
    private final ArrayDeque<Stored> low = new ArrayDeque<>();
    private final ArrayDeque<Stored> nokHeatmaps = new ArrayDeque<>();
    private final ArrayDeque<Stored> nok = new ArrayDeque<>();
    private long bytes;
    private int count;
    private long nextSeq;
    /** Entries up to this sequence number are durable (their folder entry forced); only those may be sent. */
    private long durableSeq = -1;
    private boolean writing = true;

    /** Opens (creating) the folder and loads what is in it. */
    OutboxStore(Path dir, long quotaBytes, Drops drops) throws IOException {
        if (quotaBytes <= 0) {
            throw new IllegalArgumentException("the outbox quota must be positive, got " + quotaBytes + " bytes");
        }
        this.dir = dir;
        this.quotaBytes = quotaBytes;
        this.drops = drops;
        Files.createDirectories(dir);
        load();
    }

    private synchronized void load() throws IOException {
        TreeSet<Long> entries = new TreeSet<>();
        Set<Long> heatmaps = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                Long seq = seqOf(name, ENTRY);
                Long png = seqOf(name, HEATMAP);
                if (seq != null) {
                    entries.add(seq);
                } else if (png != null) {
                    heatmaps.add(png);
                } else if (name.endsWith(TMP)) {
                    Files.deleteIfExists(f); // a write a crash interrupted: never renamed, so never an entry
                }
            }
        }
        for (long seq : entries) {
            nextSeq = seq + 1;
            Path file = entryFile(seq);
            Header h;
            try {
                h = Header.parse(Files.readAllBytes(file));
            } catch (IOException e) {
                LOG.errorf("outbox: %s is unreadable (%s); dropped", file, e.getMessage());
                drops.dropped(Outbox.Drop.CORRUPT, Verdict.UNKNOWN, file.toString());
                Files.deleteIfExists(file);
                Files.deleteIfExists(heatmapFile(seq));
                continue;
            }
            long heatmapBytes = 0;
            if (h.heatmapLength >= 0 && heatmaps.contains(seq)) {
                heatmapBytes = Files.size(heatmapFile(seq));
                if (heatmapBytes != h.heatmapLength) {
                    LOG.errorf("outbox: heat map of %s has %d bytes, not %d; dropped", h.resultId, heatmapBytes,
                            h.heatmapLength);
                    drops.dropped(Outbox.Drop.CORRUPT, h.verdict, "heat map of " + h.resultId);
                    Files.deleteIfExists(heatmapFile(seq));
                    heatmapBytes = 0;
                }
            }
            index(new Stored(seq, h.camera, h.verdict, h.resultId, Files.size(file), heatmapBytes));
        }
        for (long seq : heatmaps) {
            if (!entries.contains(seq)) {
                Files.deleteIfExists(heatmapFile(seq)); // its entry's write never completed
            }
        }
        durableSeq = nextSeq - 1;
        if (bytes > quotaBytes) {
            LOG.warnf("outbox: %d bytes on disk, over the quota of %d; making room", bytes, quotaBytes);
            makeRoom(0, null);
        }
        if (count > 0) {
            LOG.infof("outbox: %d entries (%d bytes) from before the restart wait for delivery", count, bytes);
        }
    }

    private static Long seqOf(String name, String suffix) {
        if (!name.endsWith(suffix)) {
            return null;
        }
        try {
            return Long.parseLong(name.substring(0, name.length() - suffix.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void index(Stored s) {
        byCamera.computeIfAbsent(s.camera, c -> new TreeMap<>()).put(s.seq, s);
        if (s.nok()) {
            nok.add(s);
            if (s.heatmapBytes > 0) {
                nokHeatmaps.add(s);
            }
        } else {
            low.add(s);
            if (s.heatmapBytes > 0) {
                lowHeatmaps.add(s);
            }
        }
        bytes += s.entryBytes + s.heatmapBytes;
        count++;
    }

    /**
     * Writes one entry (after making room for it) and returns it, or null when it was dropped for the quota or
     * because it could not be written (counted and logged either way; never throws for a failed write). It may be
     * sent once {@link #commit} has made it durable.
     */
    Stored add(OutboxEntry e) {
        byte[] file = Header.bytes(e);
        byte[] png = e.heatmapPng();
        long seq;
        synchronized (this) {
            Incoming in = new Incoming(e, file.length, png == null ? 0 : png.length);
            makeRoom(in.entryBytes + in.heatmapBytes, in);
            if (in.dropped) {
                return null;
            }
            if (png != null && in.heatmapBytes == 0) { // shed to make room
                png = null;
                file = Header.withoutHeatmap(file);
            }
            seq = nextSeq++;
        }
        try {
            if (!writing) {
                Files.createDirectories(dir); // the folder may have been removed while writes failed
            }
            if (png != null) {
                write(heatmapFile(seq), png);
            }
            write(entryFile(seq), file);
        } catch (IOException ex) {
            writeFailed(e, seq, ex);
            return null;
        }
        if (!writing) {
            writing = true;
            LOG.infof("outbox: writes to %s work again", dir);
        }
        Stored s = new Stored(seq, e.camera(), e.verdict(), e.resultId(), file.length, png == null ? 0 : png.length);
        synchronized (this) {
            index(s);
        }
        return s;
    }

    private void writeFailed(OutboxEntry e, long seq, IOException ex) {
        try {
            Files.deleteIfExists(tmp(entryFile(seq)));
            Files.deleteIfExists(tmp(heatmapFile(seq)));
            Files.deleteIfExists(heatmapFile(seq));
        } catch (IOException ignored) {
            // the folder itself is failing; the next write tries again
        }
        if (writing) { // the first failure says why; the outbox sums up the rest once a minute
            LOG.errorf("outbox: cannot write to %s (%s: %s): %s result %s dropped, and every result until writing"
                    + " works again", dir, ex.getClass().getSimpleName(), ex.getMessage(), e.verdict(), e.resultId());
        }
        writing = false;
        drops.dropped(Outbox.Drop.WRITE_ERROR, e.verdict(), e.resultId());
    }

    /** Forces the folder, so every entry added so far survives a power cut, and lets them be sent. */
    void commit() {
        long upTo;
        synchronized (this) {
            upTo = nextSeq - 1;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // the files themselves are forced; an unforced rename may be undone by a power cut, not by a crash
            LOG.warnf("outbox: cannot force the folder %s: %s", dir, e.getMessage());
        }
        synchronized (this) {
            durableSeq = Math.max(durableSeq, upTo);
        }
    }

    private static void write(Path file, byte[] data) throws IOException {
        Path tmp = tmp(file);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path tmp(Path file) {
        return file.resolveSibling(file.getFileName() + TMP);
    }

    /** The entry being added, as the quota sees it: the newest of its kind. */
    private static final class Incoming {
        final OutboxEntry entry;
        final long entryBytes;
        long heatmapBytes;
        boolean dropped;

        Incoming(OutboxEntry entry, long entryBytes, long heatmapBytes) {
            this.entry = entry;
            this.entryBytes = entryBytes;
            this.heatmapBytes = heatmapBytes;
        }

        boolean nok() {
            return entry.verdict() == Verdict.NOK;
        }
    }

    /** Frees room for {@code need} more bytes in eviction order; {@code in} may be null (only shrinking). */
    private void makeRoom(long need, Incoming in) {
        while (bytes + need > quotaBytes) {
            if (shedHeatmap(lowHeatmaps)) {
                continue;
            }
            if (in != null && !in.nok() && in.heatmapBytes > 0) {
                need -= in.heatmapBytes;
                in.heatmapBytes = 0;
                drops.dropped(Outbox.Drop.HEATMAP_QUOTA, in.entry.verdict(), "heat map of " + in.entry.resultId());
                continue;
            }
            if (evict(low)) {
                continue;
            }
            if (in != null && !in.nok()) {
                in.dropped = true;
                drops.dropped(Outbox.Drop.QUOTA, in.entry.verdict(), in.entry.resultId());
                return;
            }
            if (shedHeatmap(nokHeatmaps)) {
                continue;
            }
            if (in != null && in.heatmapBytes > 0) {
                need -= in.heatmapBytes;
                in.heatmapBytes = 0;
                drops.dropped(Outbox.Drop.HEATMAP_QUOTA, in.entry.verdict(), "heat map of " + in.entry.resultId());
                continue;
            }
            if (evict(nok)) {
                continue;
            }
            if (in != null) { // alone larger than the quota
                in.dropped = true;
                drops.dropped(Outbox.Drop.QUOTA, in.entry.verdict(), in.entry.resultId());
            }
            return;
        }
    }

    private boolean shedHeatmap(ArrayDeque<Stored> kind) {
        for (Stored s = kind.poll(); s != null; s = kind.poll()) {
            if (!s.removed && s.heatmapBytes > 0) {
                delete(heatmapFile(s.seq));
                bytes -= s.heatmapBytes;
                s.heatmapBytes = 0;
                drops.dropped(Outbox.Drop.HEATMAP_QUOTA, s.verdict, "heat map of " + s.resultId);
                return true;
            }
        }
        return false;
    }

    private boolean evict(ArrayDeque<Stored> kind) {
        for (Stored s = kind.poll(); s != null; s = kind.poll()) {
            if (!s.removed) {
                unindex(s);
                drops.dropped(Outbox.Drop.QUOTA, s.verdict, s.resultId);
                return true;
            }
        }
        return false;
    }

    /** Removes an entry the broker has acknowledged; false when it was already gone (evicted, or acknowledged). */
    synchronized boolean remove(Stored s) {
        if (s.removed) {
            return false;
        }
        unindex(s);
        return true;
    }

    private void unindex(Stored s) {
        s.removed = true;
        TreeMap<Long, Stored> camera = byCamera.get(s.camera);
        camera.remove(s.seq);
        if (camera.isEmpty()) {
            byCamera.remove(s.camera);
        }
        delete(entryFile(s.seq));
        if (s.heatmapBytes > 0) {
            delete(heatmapFile(s.seq));
        }
        bytes -= s.entryBytes + s.heatmapBytes;
        count--;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left behind it would come back after a restart as a duplicate, which subscribers tolerate
            LOG.warnf("outbox: cannot delete %s: %s", file, e.getMessage());
        }
    }

    /** The camera's first durable entry after sequence number {@code after} (-1: its oldest), or null. */
    synchronized Stored next(String camera, long after) {
        TreeMap<Long, Stored> entries = byCamera.get(camera);
        if (entries == null) {
            return null;
        }
        Map.Entry<Long, Stored> e = entries.higherEntry(after);
        return e == null || e.getKey() > durableSeq ? null : e.getValue();
    }

    synchronized List<String> cameras() {
        return new ArrayList<>(byCamera.keySet());
    }

    /**
     * Reads an entry back. A heat map that is gone (shed meanwhile) or does not match its CRC is left out, the latter
     * counted; throws when the entry file itself is unreadable, which the caller drops.
     */
    OutboxEntry read(Stored s) throws IOException {
        Header h = Header.parse(Files.readAllBytes(entryFile(s.seq)));
        byte[] png = null;
        if (h.heatmapLength >= 0) {
            try {
                png = Files.readAllBytes(heatmapFile(s.seq));
                if (png.length != h.heatmapLength || crc(png, 0, png.length) != h.heatmapCrc) {
                    LOG.errorf("outbox: heat map of %s does not match its CRC; sent without it", h.resultId);
                    drops.dropped(Outbox.Drop.CORRUPT, h.verdict, "heat map of " + h.resultId);
                    png = null;
                }
            } catch (NoSuchFileException shed) {
                png = null;
            }
        }
        return new OutboxEntry(h.camera, h.line, h.verdict, h.resultId, h.json, png);
    }

    /** Drops an entry that cannot be read back (counted). */
    synchronized void dropCorrupt(Stored s, IOException why) {
        if (!s.removed) {
            LOG.errorf("outbox: %s is unreadable (%s); dropped", entryFile(s.seq), why.getMessage());
            unindex(s);
            drops.dropped(Outbox.Drop.CORRUPT, s.verdict, s.resultId);
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return count;
    }

    long quotaBytes() {
        return quotaBytes;
    }

    Path entryFile(long seq) {
        return dir.resolve(String.format("%016d%s", seq, ENTRY));
    }

    Path heatmapFile(long seq) {
        return dir.resolve(String.format("%016d%s", seq, HEATMAP));
    }

    static long crc(byte[] data, int offset, int length) {
        CRC32 c = new CRC32();
        c.update(data, offset, length);
        return c.getValue();
    }

    /** The entry file's content: header fields, the JSON, the heat map's length and CRC, and a CRC of it all. */
    private record Header(String camera, String line, Verdict verdict, String resultId, byte[] json,
            int heatmapLength, long heatmapCrc) {
        static byte[] bytes(OutboxEntry e) {
            byte[] png = e.heatmapPng();
            return encode(e, png == null ? -1 : png.length, png == null ? 0 : crc(png, 0, png.length));
        }

        /** The same entry file, saying it has no heat map. */
        static byte[] withoutHeatmap(byte[] entryFile) {
            try {
                Header h = parse(entryFile);
                return encode(new OutboxEntry(h.camera, h.line, h.verdict, h.resultId, h.json, null), -1, 0);
            } catch (IOException e) {
                throw new IllegalStateException("an entry file just encoded parses", e);
            }
        }

        private static byte[] encode(OutboxEntry e, int heatmapLength, long heatmapCrc) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(e.resultJson().length + 128);
            try (DataOutputStream out = new DataOutputStream(buf)) {
                out.writeInt(MAGIC);
                out.writeByte(VERSION);
                out.writeUTF(e.camera());
                out.writeUTF(e.line());
                out.writeUTF(e.verdict().name());
                out.writeUTF(e.resultId());
                out.writeInt(e.resultJson().length);
                out.write(e.resultJson());
                out.writeInt(heatmapLength);
                out.writeInt((int) heatmapCrc);
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
            byte[] body = buf.toByteArray();
            byte[] file = Arrays.copyOf(body, body.length + 4);
            ByteBuffer.wrap(file, body.length, 4).putInt((int) crc(body, 0, body.length));
            return file;
        }

        static Header parse(byte[] file) throws IOException {
            if (file.length < 9 || ByteBuffer.wrap(file, file.length - 4, 4).getInt()
                    != (int) crc(file, 0, file.length - 4)) {
                throw new IOException("truncated or damaged (CRC mismatch, " + file.length + " bytes)");
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, 0, file.length - 4));
            if (in.readInt() != MAGIC || in.readByte() != VERSION) {
                throw new IOException("not an outbox entry of version " + VERSION);
            }
            String camera = in.readUTF();
            String line = in.readUTF();
            Verdict verdict;
            try {
                verdict = Verdict.valueOf(in.readUTF());
            } catch (IllegalArgumentException e) {
                throw new IOException("unknown verdict", e);
            }
            String resultId = in.readUTF();
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            int heatmapLength = in.readInt();
            long heatmapCrc = in.readInt() & 0xffffffffL;
            return new Header(camera, line, verdict, resultId, json, heatmapLength, heatmapCrc);
        }
    }
}
