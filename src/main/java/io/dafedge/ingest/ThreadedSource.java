package io.dafedge.ingest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;

/**
 * The part every source with its own thread shares: one daemon thread named after the camera runs
 * {@link #session()} again and again, with exponential backoff between failed sessions, reporting its
 * {@link SourceState}; the rate cap; the counters; decoding with bad frames counted and logged, never fatal.
 */
abstract class ThreadedSource implements FrameSource {
    private static final Logger LOG = Logger.getLogger(ThreadedSource.class);
    /** One log line per this interval about undecodable frames, so a corrupt stream cannot flood the log. */
    private static final long UNDECODABLE_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    /** A failure that retrying cannot fix (a missing program): the source ends in {@link SourceState.State#FAILED}. */
    static final class FatalSourceException extends Exception {
        FatalSourceException(String message) {
            super(message);
        }
    }

    protected final CameraSettings settings;
    private final RateCap rateCap;
    private final Backoff backoff;
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile SourceState state = SourceState.of(SourceState.State.STARTING);
    private volatile boolean closed;
    private Thread thread;
    private FrameSink sink;
    private long lastUndecodableLog;

    /**
     * @param fps frames per second at most; 0 = no cap
     */
    ThreadedSource(CameraSettings settings, double fps, Backoff backoff) {
        this.settings = Objects.requireNonNull(settings);
        this.rateCap = new RateCap(fps);
        this.backoff = backoff.fresh();
    }

    /**
     * One connection (or one pass over a folder, file or device) delivering frames until it fails or ends. Returns
     * when the source is finished for good (end of a file, or closed); throws when it should be retried after the
     * backoff; throws {@link FatalSourceException} when retrying is pointless.
     */
    protected abstract void session() throws Exception;

    /** Unblocks a session waiting in I/O; called by {@link #close()} from another thread. */
    protected void abortSession() {
    }

    /** What the source reads, for logs. */
    protected abstract String describe();

    @Override
    public final synchronized void start(FrameSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (thread != null || closed) {
            throw new IllegalStateException("camera " + settings.id() + ": a source is started once");
        }
        this.sink = sink;
        thread = new Thread(this::run, "camera-" + settings.id());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public final SourceState state() {
        return state;
    }

    @Override
    public final SourceCounters counters() {
        return new SourceCounters(delivered.get(), skipped.get(), undecodable.get(), reconnects.get());
    }

    /** Stops the thread (waiting a few seconds for it) and reports STOPPED. Idempotent. */
    @Override
    public final void close() {
        Thread running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = thread;
        }
        closedLatch.countDown();
        abortSession();
        if (running != null) {
            running.interrupt();
            try {
                running.join(JOIN_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (running.isAlive()) {
                LOG.warnf("camera %s: source thread still blocked in %s after %s; left to end on its own",
                        settings.id(), describe(), JOIN_TIMEOUT);
            }
        }
        setState(SourceState.State.STOPPED, null, null);
    }

    private void run() {
        LOG.infof("camera %s: reading %s", settings.id(), describe());
        try {
            while (!closed) {
                String failure;
                try {
                    session();
                    if (!closed) {
                        LOG.infof("camera %s: %s has ended", settings.id(), describe());
                    }
                    return;
                } catch (FatalSourceException e) {
                    if (!closed) {
                        LOG.errorf("camera %s: %s", settings.id(), e.getMessage());
                        setState(SourceState.State.FAILED, e.getMessage(), null);
                    }
                    return;
                } catch (Exception e) {
                    failure = reason(e);
                }
                if (closed) {
                    return;
                }
                reconnects.incrementAndGet();
                Duration delay = backoff.next();
                setState(SourceState.State.RECONNECTING, failure, Instant.now().plus(delay));
                LOG.warnf("camera %s: %s; next attempt in %d ms", settings.id(), failure, delay.toMillis());
                if (pause(delay)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // only close() interrupts this thread
        } finally {
            if (closed || state.state() != SourceState.State.FAILED) {
                setState(SourceState.State.STOPPED, null, null);
            }
        }
    }

    /** An exception as a one-line reason for the state and the log. */
    static String reason(Exception e) {
        String message = e.getMessage();
        // java.net.http may put the informative message on a cause of a message-less exception
        for (Throwable cause = e.getCause(); (message == null || message.isBlank()) && cause != null;
                cause = cause.getCause()) {
            message = cause.getMessage();
        }
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // our own messages name what failed; a library's ("Connection refused") needs its kind to make sense
        return e.getClass() == IOException.class ? message : e.getClass().getSimpleName() + ": " + message;
    }

    private void setState(SourceState.State s, String error, Instant nextAttempt) {
        state = new SourceState(s, error, Instant.now(), nextAttempt);
    }

    protected final boolean closed() {
        return closed;
    }

    /** The source is reading: RUNNING, and the next failure starts the backoff from the beginning. */
    protected final void connected() {
        backoff.reset();
        if (state.state() != SourceState.State.RUNNING && !closed) {
            setState(SourceState.State.RUNNING, null, null);
        }
    }

    /**
     * A frame has arrived from the stream (which counts as a success): true when the rate cap lets it through,
     * otherwise it is counted as skipped and the caller discards it without decoding.
     */
    protected final boolean frameArrived() {
        connected();
        if (rateCap.tryAcquire(System.nanoTime())) {
            return true;
        }
        skipped.incrementAndGet();
        return false;
    }

    /**
     * For sources that must not skip (files) or produce their own frames: waits until the rate cap allows the next
     * frame and takes it. Returns false when the source was closed meanwhile.
     */
    protected final boolean awaitRate() throws InterruptedException {
        while (!closed) {
            long now = System.nanoTime();
            long wait = rateCap.waitNanos(now);
            if (wait == 0 && rateCap.tryAcquire(now)) {
                return true;
            }
            if (closedLatch.await(Math.max(wait, 1), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return false;
    }

    /** Sleeps, waking early when the source is closed; true when it was closed. */
    protected final boolean pause(Duration duration) throws InterruptedException {
        return closedLatch.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Decodes an encoded frame and delivers it; a frame that cannot be decoded is counted and logged. */
    protected final void deliverEncoded(byte[] encoded, String origin) {
        Image image;
        try {
            image = ImageFiles.decode(encoded, origin);
        } catch (ImageReadException e) {
            undecodable(e.getMessage());
            return;
        }
        deliver(image, null, origin, FrameOutcome.NONE);
    }

    protected final void deliver(Image image, String partId, String origin, FrameOutcome outcome) {
        sink.offer(Frame.arrived(settings.id(), partId, image, origin, outcome));
        delivered.incrementAndGet();
    }

    /** Counts a frame that could not be decoded; logs it, at most one line per ten seconds. Source thread only. */
    protected final void undecodable(String message) {
        long count = undecodable.incrementAndGet();
        long now = System.nanoTime();
        if (count == 1 || now - lastUndecodableLog >= UNDECODABLE_LOG_NANOS) {
            lastUndecodableLog = now;
            LOG.warnf("camera %s: undecodable frame skipped (%d so far): %s", settings.id(), count, message);
        }
    }
}
