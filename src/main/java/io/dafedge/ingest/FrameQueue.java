package io.dafedge.ingest;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

/**
 * A camera's bounded queue between its source and the inspector. Offering never blocks the source: when the queue is
 * full the oldest waiting frame is dropped, because on a moving line the newest part is the one still worth a verdict.
 * Every dropped frame is told {@link FrameOutcome.Status#DROPPED} (outside the lock, so an outcome cannot stall the
 * queue) and counted.
 */
public final class FrameQueue implements FrameSink {
    private static final Logger LOG = Logger.getLogger(FrameQueue.class);
    static final String QUEUE_FULL = "queue full";
    static final String QUEUE_CLOSED = "queue closed";

    private final String camera;
    private final int capacity;
    private final ArrayDeque<Frame> frames;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private String nextPartId;
    private long offered;
    private long dropped;
    private boolean closed;

    public FrameQueue(String camera, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("camera " + camera + ": queue must hold at least one frame");
        }
        this.camera = camera;
        this.capacity = capacity;
        this.frames = new ArrayDeque<>(capacity);
    }

    /**
     * The part id the next frame offered gets (an MES names the part arriving at the camera); replaces one not yet
     * used. A frame whose source already gave it a part id keeps its own, since that id travelled with the picture, and
     * the pending id is used up all the same, so it can never shift onto the part after.
     *
     * @return the pending id this one replaces, or null
     */
    public String nextPartId(String partId) {
        lock.lock();
        try {
            String replaced = nextPartId;
            nextPartId = partId;
            return replaced;
        } finally {
            lock.unlock();
        }
    }

    /** Queues the frame; drops the oldest waiting frame when full, or this one when the queue is closed. */
    @Override
    public void offer(Frame frame) {
        Frame victim = null;
        String reason = null;
        String unused = null;
        lock.lock();
        try {
            offered++;
            if (nextPartId != null) {
                if (frame.partId() == null) {
                    frame = frame.withPartId(nextPartId);
                } else {
                    unused = nextPartId;
                }
                nextPartId = null;
            }
            if (closed) {
                victim = frame;
                reason = QUEUE_CLOSED;
            } else {
                if (frames.size() == capacity) {
                    victim = frames.pollFirst();
                    reason = QUEUE_FULL;
                }
                frames.addLast(frame);
                notEmpty.signal();
            }
            if (victim != null) {
                dropped++;
            }
        } finally {
            lock.unlock();
        }
        if (victim != null) {
            victim.outcome().done(FrameOutcome.Status.DROPPED, reason);
        }
        if (unused != null) {
            LOG.infof("camera %s: frame %s came with part id %s, which wins over the part id %s set for it", camera,
                    frame.resultId(), frame.partId(), unused);
        }
    }

    /** The oldest waiting frame; waits for one. Returns null once the queue is closed and empty. */
    public Frame take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (frames.isEmpty() && !closed) {
                notEmpty.await();
            }
            return frames.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest waiting frame, or null when none arrives within {@code timeout} or the queue is closed. */
    public Frame poll(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (frames.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return frames.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further frames, drops (and tells) those still waiting, and wakes a waiting inspector. Idempotent. */
    public void close() {
        List<Frame> left;
        lock.lock();
        try {
            closed = true;
            left = new ArrayList<>(frames);
            dropped += left.size();
            frames.clear();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        for (Frame frame : left) {
            frame.outcome().done(FrameOutcome.Status.DROPPED, QUEUE_CLOSED);
        }
    }

    public String camera() {
        return camera;
    }

    public int capacity() {
        return capacity;
    }

    /** Frames offered since creation, including those dropped. */
    public long offered() {
        lock.lock();
        try {
            return offered;
        } finally {
            lock.unlock();
        }
    }

    /** Frames dropped since creation: pushed out by newer ones, or left or offered after closing. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Frames waiting now. */
    public int depth() {
        lock.lock();
        try {
            return frames.size();
        } finally {
            lock.unlock();
        }
    }
}
