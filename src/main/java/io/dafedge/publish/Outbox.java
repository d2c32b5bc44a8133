package io.dafedge.publish;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.dafedge.inspect.Verdict;

/**
 * Store and forward for results: every entry is written to disk (by the outbox's writer thread, behind a bounded
 * queue, so the inspection thread never waits) before it is published, and deleted only when the broker has
 * acknowledged all of its messages (QoS 1). Each camera's entries go out in order; after every (re)connection
 * delivery starts again at each camera's oldest unacknowledged entry, so a subscriber may see an entry twice but
 * never out of order or with one missing. What is on disk is delivered after a restart too.
 * <p>
 * Every result or heat map given up is counted by {@link Drop reason} and verdict, and logged.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Outbox.class);
    /** Entries waiting for the writer; each may hold a heat map of some 100 KB, so few. */
    static final int QUEUE = 256;
    private static final int MAX_BATCH = 32;
    /** Entries published and not yet acknowledged, across cameras; well inside Paho's in-flight window. */
    static final int MAX_IN_FLIGHT = 32;
    private static final long DROP_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Why a result (or only its heat map) was given up. */
    public enum Drop {
        /** The writer's queue was full (the disk could not keep up), or the outbox was closing. */
        QUEUE_FULL("queue-full"),
        /** The quota was reached: the heat map was deleted, the result kept. */
        HEATMAP_QUOTA("heatmap-quota"),
        /** The quota was reached and nothing less valuable was left to delete. */
        QUOTA("quota"),
        /** Writing to disk failed (disk full, folder gone, I/O error). */
        WRITE_ERROR("write-error"),
        /** The file on disk could not be read back (damaged or truncated). */
        CORRUPT("corrupt");

        public final String label;

        Drop(String label) {
            this.label = label;
        }
    }

    private final OutboxStore store;
    private final MqttPublisher mqtt;
    private final MessageEncoding encoding;
    private final BlockingQueue<OutboxEntry> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLongArray drops = new AtomicLongArray(Drop.values().length * Verdict.values().length);
    private final long[] lastDropLog = new long[Drop.values().length];
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final Thread writer;
    private final Thread sender;
    private volatile boolean accepting = true;
    private volatile boolean sending = true;

    // sending state, guarded by itself: a connection's sends and its start or loss never interleave
    private final Object lock = new Object();
    private long session;
    private boolean open;
    private final Map<String, Long> sentUpTo = new HashMap<>();
    private int inFlight;
    private int turn;

    /**
     * Loads what {@code dir} holds from before and starts writing and sending.
     *
     * @param quotaBytes the most the outbox's files may take
     * @param encoding   turns an entry into messages when it is sent
     * @throws IOException when the folder cannot be created or listed
     */
    public Outbox(Path dir, long quotaBytes, MqttPublisher mqtt, MessageEncoding encoding) throws IOException {
        this.store = new OutboxStore(dir, quotaBytes, this::dropped);
        this.mqtt = mqtt;
        this.encoding = encoding;
        mqtt.addConnectionListener(new MqttPublisher.ConnectionListener() {
            @Override
            public void connected() {
                startSession(true);
            }

            @Override
            public void lost() {
                startSession(false);
            }
        });
        if (mqtt.connected()) {
            startSession(true); // connected before we listened; a second start only means a duplicate or two
        }
        writer = daemon(this::write, "outbox-writer");
        sender = daemon(this::send, "outbox-sender");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Takes an entry for writing and returns at once; a full queue drops it (counted). */
    public void offer(OutboxEntry e) {
        if (!accepting || !queue.offer(e)) {
            dropped(Drop.QUEUE_FULL, e.verdict(), e.resultId());
        }
    }

    private void write() {
        List<OutboxEntry> batch = new ArrayList<>(MAX_BATCH);
        while (accepting || !queue.isEmpty()) {
            try {
                OutboxEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                int n = 0;
                for (OutboxEntry e : batch) {
                    if (store.add(e) != null) {
                        n++;
                    }
                }
                batch.clear();
                // one forced folder per batch: the files are forced one by one, the renames together
                store.commit();
                written.addAndGet(n);
                synchronized (lock) {
                    lock.notifyAll();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "outbox writer: unexpected error; %d entries of the batch lost", batch.size());
                batch.forEach(x -> dropped(Drop.WRITE_ERROR, x.verdict(), x.resultId()));
                batch.clear();
            }
        }
    }

    /** A new connection (or its loss): every camera starts again at its oldest unacknowledged entry. */
    private void startSession(boolean connected) {
        synchronized (lock) {
            session++;
            open = connected;
            sentUpTo.clear();
            inFlight = 0;
            if (connected) {
                publishNow(encoding.sessionStart());
            }
            lock.notifyAll();
        }
    }

    /**
     * Publishes {@code messages} (made inside the sending order, so that messages numbered per connection stay in
     * sequence with the entries) if connected; they are not kept on disk nor sent again. False when not connected.
     */
    public boolean publishInSequence(Supplier<List<MessageEncoding.Message>> messages) {
        synchronized (lock) {
            if (!open) {
                return false;
            }
            publishNow(messages.get());
            return true;
        }
    }

    private void publishNow(List<MessageEncoding.Message> messages) {
        for (MessageEncoding.Message m : messages) {
            mqtt.publish(m.topic(), m.payload(), m.qos(), m.retained());
        }
    }

    /** One sending of one entry: done when the broker acknowledged all its messages, or one failed. */
    private final class Attempt {
        final OutboxStore.Stored stored;
        final long session;
        final AtomicInteger unacknowledged;
        boolean over;

        Attempt(OutboxStore.Stored stored, long session, int messages) {
            this.stored = stored;
            this.session = session;
            this.unacknowledged = new AtomicInteger(messages);
        }

        void acknowledged() {
            if (unacknowledged.decrementAndGet() == 0) {
                if (store.remove(stored)) {
                    delivered.incrementAndGet();
                }
                end(false);
            }
        }

        /** Paho fails a publish when its connection goes; should it fail on a live one, the camera starts over. */
        void failed() {
            end(true);
        }

        private void end(boolean failed) {
            synchronized (lock) {
                if (!over && session == Outbox.this.session) {
                    over = true;
                    inFlight--;
                    if (failed) {
                        sentUpTo.remove(stored.camera);
                    }
                    lock.notifyAll();
                }
            }
        }
    }

    private void send() {
        while (sending) {
            OutboxStore.Stored s;
            long sessionOfPick;
            try {
                synchronized (lock) {
                    s = sending ? pick() : null;
                    if (s == null) {
                        lock.wait(500);
                        continue;
                    }
                    sessionOfPick = session;
                    sentUpTo.put(s.camera, s.seq);
                    inFlight++;
                }
            } catch (InterruptedException e) {
                return;
            }
            OutboxEntry entry;
            try {
                entry = store.read(s);
            } catch (IOException e) {
                store.dropCorrupt(s, e); // or evicted or acknowledged meanwhile: then nothing is counted
                synchronized (lock) {
                    if (sessionOfPick == session) {
                        inFlight--;
                    }
                }
                continue;
            }
            boolean refused = false;
            synchronized (lock) {
                if (sessionOfPick != session) {
                    continue; // the connection changed while we read: the new one starts over anyway
                }
                List<MessageEncoding.Message> messages;
                try {
                    messages = encoding.messages(entry);
                } catch (RuntimeException e) {
                    // a fault of the encoding's, not of the entry's: it stays, and is tried again after a pause
                    LOG.errorf(e, "outbox: %s could not be encoded", s);
                    messages = null;
                }
                Attempt a = new Attempt(s, session, messages == null || messages.isEmpty() ? 1 : messages.size());
                if (messages == null) {
                    a.failed();
                    refused = true;
                } else if (messages.isEmpty()) {
                    a.acknowledged(); // nothing to send for it
                }
                for (int i = 0; messages != null && i < messages.size(); i++) {
                    MessageEncoding.Message m = messages.get(i);
                    if (!mqtt.send(m.topic(), m.payload(), m.qos(), m.retained(), ok -> {
                        if (ok) {
                            a.acknowledged();
                        } else {
                            a.failed();
                        }
                    })) {
                        a.failed();
                        refused = true;
                        break;
                    }
                }
            }
            if (refused) {
                pause(); // the connection is likely going; its loss, or a moment, before the camera starts over
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next entry to send, taking cameras in turn; null when not connected, the window is full or all is sent. */
    private OutboxStore.Stored pick() {
        if (!open || inFlight >= MAX_IN_FLIGHT) {
            return null;
        }
        List<String> cameras = store.cameras();
        for (int i = 0; i < cameras.size(); i++) {
            String camera = cameras.get((turn + i) % cameras.size());
            OutboxStore.Stored s = store.next(camera, sentUpTo.getOrDefault(camera, -1L));
            if (s != null) {
                turn = (turn + i + 1) % cameras.size();
                return s;
            }
        }
        return null;
    }

    private void dropped(Drop reason, Verdict verdict, String what) {
        drops.incrementAndGet(reason.ordinal() * Verdict.values().length + verdict.ordinal());
        LOG.debugf("outbox: %s dropped (%s)", what, reason.label);
        if (reason == Drop.CORRUPT) {
            return; // the store logged each with its file
        }
        long now = System.nanoTime();
        synchronized (lastDropLog) {
            if (lastDropLog[reason.ordinal()] != 0 && now - lastDropLog[reason.ordinal()] < DROP_LOG_NANOS) {
                return;
            }
            lastDropLog[reason.ordinal()] = now;
        }
        LOG.warnf("outbox: %s dropped (%s; at most one such line a minute); dropped so far: %s", what, reason.label,
                droppedSummary());
    }

    /** Results or heat maps given up for {@code reason} with {@code verdict}. */
    public long dropped(Drop reason, Verdict verdict) {
        return drops.get(reason.ordinal() * Verdict.values().length + verdict.ordinal());
    }

    /** The non-zero drop counts by reason label, then verdict. */
    public Map<String, Map<String, Long>> droppedSummary() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Drop d : Drop.values()) {
            Map<String, Long> byVerdict = new LinkedHashMap<>();
            for (Verdict v : Verdict.values()) {
                long n = dropped(d, v);
                if (n > 0) {
                    byVerdict.put(v.name(), n);
                }
            }
            if (!byVerdict.isEmpty()) {
                out.put(d.label, byVerdict);
            }
        }
        return out;
    }

    /** Entries on disk, not yet acknowledged by the broker. */
    public int pending() {
        return store.size();
    }

    /** Bytes the outbox's files take. */
    public long bytes() {
        return store.bytes();
    }

    public long quotaBytes() {
        return store.quotaBytes();
    }

    /** Entries written to disk since start. */
    public long written() {
        return written.get();
    }

    /** Entries the broker acknowledged (and that were deleted) since start. */
    public long delivered() {
        return delivered.get();
    }

    /** Entries waiting for the writer. */
    public int queued() {
        return queue.size();
    }

    /**
     * Writes what is queued, then stops sending. What the broker has not acknowledged stays on disk for the next
     * start; the MQTT connection is the caller's to close.
     */
    @Override
    public void close() {
        accepting = false;
        join(writer);
        // not interrupted: an interrupt in the middle of reading an entry would look like a damaged file
        synchronized (lock) {
            sending = false;
            lock.notifyAll();
        }
        join(sender);
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
