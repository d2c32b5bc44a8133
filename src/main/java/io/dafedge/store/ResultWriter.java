package io.dafedge.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.dafedge.ingest.Frame;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.ResultSink;

/**
 * Stores results off the inspection thread: results wait in a bounded queue and a writer thread saves them in
 * batches (one transaction per batch). When the database is down the batch is retried with backoff while new results
 * queue up; when the queue is full the newest result is not stored and counted, so inspection never waits for the
 * database. The MQTT result is unaffected.
 */
public final class ResultWriter implements ResultSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ResultWriter.class);
    static final int MAX_BATCH = 64;

    private final BlockingQueue<InspectionResult> queue;
    private final Consumer<List<InspectionResult>> save;
    private final Thread thread;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile String lastError;
    private volatile boolean running = true;

    /** {@code save} stores a batch in one transaction, or throws and stores nothing. */
    public ResultWriter(int capacity, Consumer<List<InspectionResult>> save) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.save = save;
        thread = new Thread(this::run, "store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void accept(InspectionResult result, Frame frame) {
        if (!queue.offer(result)) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 100 == 0) {
                LOG.errorf("store queue full (%d results): result %s not stored; %d not stored so far (%s)",
                        queue.size(), result.resultId(), n, lastError);
            }
        }
    }

    private void run() {
        List<InspectionResult> batch = new ArrayList<>(MAX_BATCH);
        long backoffMs = 250;
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    InspectionResult first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                save.accept(batch);
                // cleared before the count moves, so whoever sees the results stored also sees the error gone
                if (lastError != null) {
                    LOG.infof("store writes again");
                    lastError = null;
                }
                stored.addAndGet(batch.size());
                batch.clear();
                backoffMs = 250;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                lastError = String.valueOf(e.getMessage());
                LOG.errorf("storing %d results failed, retrying in %d ms: %s", batch.size(), backoffMs, lastError);
                if (!running) {
                    return; // shutting down with the database away: what is left is lost, and was counted below
                }
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    public long stored() {
        return stored.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public int pending() {
        return queue.size();
    }

    public String lastError() {
        return lastError;
    }

    /** Saves what is waiting (for up to 10 s), then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        if (left > 0) {
            dropped.addAndGet(left);
            LOG.errorf("%d results not stored at shutdown", left);
        }
    }
}
