package io.dafedge.model.baseline;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed number of threads for data-parallel loops over index ranges. The caller runs one share itself, so
 * {@code threads} is the total, and a detector asked for N threads uses N cores, not N plus the common pool.
 */
final class Parallel implements AutoCloseable {
    /** The body of a loop over {@code [from, to)}. */
    interface Range {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "baseline-worker");
            t.setDaemon(true); // a detector that is never closed must not keep the JVM alive
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /** Runs {@code body} over {@code [0, n)} split into at most {@code threads} contiguous ranges; returns when all are done. */
    void forRanges(int n, Range body) {
        int parts = Math.min(n, threads);
        if (parts <= 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        Future<?>[] others = new Future<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            others[p - 1] = pool.submit(() -> body.run(from, to));
        }
        Throwable failure = null;
        try {
            body.run(0, n / parts);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    failure = failure != null ? failure : e.getCause();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the other shares still write into the caller's arrays: wait for them
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
