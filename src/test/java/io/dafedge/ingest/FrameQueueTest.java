package io.dafedge.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.dafedge.synth.Image;

class FrameQueueTest {
    private static final Image IMAGE = new Image(16, 16, 1);

    /** A frame that records what it was told. */
    private static Frame frame(String origin, Map<String, String> told) {
        return Frame.arrived("cam", null, IMAGE, origin, (status, reason) -> {
            String previous = told.put(origin, status + (reason == null ? "" : ": " + reason));
            if (previous != null) {
                throw new AssertionError(origin + " told twice: " + previous);
            }
        });
    }

    @Test
    void fullQueueDropsTheOldestAndCountsIt() throws InterruptedException {
        Map<String, String> told = new ConcurrentHashMap<>();
        FrameQueue queue = new FrameQueue("cam", 2);
        queue.offer(frame("a", told));
        queue.offer(frame("b", told));
        assertTrue(told.isEmpty());
        queue.offer(frame("c", told));
        queue.offer(frame("d", told));

        assertEquals(Map.of("a", "DROPPED: queue full", "b", "DROPPED: queue full"), told);
        assertEquals(4, queue.offered());
        assertEquals(2, queue.dropped());
        assertEquals(2, queue.depth());
        assertEquals("c", queue.take().origin());
        assertEquals("d", queue.poll(Duration.ZERO).origin());
        assertEquals(0, queue.depth());
        assertNull(queue.poll(Duration.ofMillis(20)));
    }

    @Test
    void closeDropsWhatIsLeftAndEverythingOfferedAfter() throws InterruptedException {
        Map<String, String> told = new ConcurrentHashMap<>();
        FrameQueue queue = new FrameQueue("cam", 3);
        queue.offer(frame("a", told));
        queue.offer(frame("b", told));
        queue.close();
        queue.offer(frame("late", told));
        queue.close();

        assertEquals(Map.of("a", "DROPPED: queue closed", "b", "DROPPED: queue closed",
                "late", "DROPPED: queue closed"), told);
        assertEquals(3, queue.offered());
        assertEquals(3, queue.dropped());
        assertEquals(0, queue.depth());
        assertNull(queue.take());
    }

    @Test
    void closeWakesAWaitingInspector() throws InterruptedException {
        FrameQueue queue = new FrameQueue("cam", 1);
        CountDownLatch waiting = new CountDownLatch(1);
        Frame notTaken = Frame.arrived("cam", null, IMAGE, "not taken", FrameOutcome.NONE);
        AtomicReference<Frame> got = new AtomicReference<>(notTaken);
        Thread inspector = new Thread(() -> {
            waiting.countDown();
            try {
                got.set(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        inspector.start();
        waiting.await();
        Thread.sleep(50);
        queue.close();
        inspector.join(2000);
        assertTrue(!inspector.isAlive(), "take() still blocked after close");
        assertNull(got.get());
    }

    @Test
    void refusesAnEmptyQueue() {
        assertThrows(IllegalArgumentException.class, () -> new FrameQueue("cam", 0));
    }

    /**
     * Producers race one slow consumer: every frame ends exactly once, either taken or dropped, and the counters
     * add up.
     */
    @Test
    void concurrentProducersLoseNothingUncounted() throws InterruptedException {
        int producers = 4;
        int perProducer = 5000;
        FrameQueue queue = new FrameQueue("cam", 8);
        AtomicLong droppedTold = new AtomicLong();
        AtomicInteger maxDepth = new AtomicInteger();
        AtomicInteger twice = new AtomicInteger();
        Map<String, Boolean> ended = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    String origin = id + "/" + i;
                    queue.offer(Frame.arrived("cam", null, IMAGE, origin, (status, reason) -> {
                        if (status == FrameOutcome.Status.DROPPED) {
                            droppedTold.incrementAndGet();
                        }
                        if (ended.put(origin, true) != null) {
                            twice.incrementAndGet();
                        }
                    }));
                    maxDepth.accumulateAndGet(queue.depth(), Math::max);
                }
            }));
        }
        AtomicLong taken = new AtomicLong();
        Thread consumer = new Thread(() -> {
            try {
                Frame f;
                while ((f = queue.take()) != null) {
                    taken.incrementAndGet();
                    if (ended.put(f.origin(), true) != null) {
                        twice.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        threads.forEach(Thread::start);
        consumer.start();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        queue.close();
        consumer.join(5000);

        long total = (long) producers * perProducer;
        assertEquals(total, queue.offered());
        assertEquals(total, taken.get() + queue.dropped());
        assertEquals(queue.dropped(), droppedTold.get());
        assertEquals(total, ended.size());
        assertEquals(0, twice.get(), "frames that ended twice");
        assertTrue(maxDepth.get() <= 8, "depth " + maxDepth.get() + " over capacity");
        assertTrue(queue.dropped() > 0, "test did not overflow the queue");
    }

    @Test
    void theNextFrameGetsThePendingPartIdOnceUnlessItCameWithItsOwn() throws InterruptedException {
        FrameQueue queue = new FrameQueue("cam", 4);
        assertNull(queue.nextPartId("P-1"));
        assertEquals("P-1", queue.nextPartId("P-2"), "a newer part id replaces one not yet used");
        queue.offer(Frame.arrived("cam", null, IMAGE, "a", FrameOutcome.NONE));
        queue.offer(Frame.arrived("cam", null, IMAGE, "b", FrameOutcome.NONE));
        assertEquals("P-2", queue.take().partId());
        assertNull(queue.take().partId(), "used once only");

        queue.nextPartId("P-3");
        queue.offer(Frame.arrived("cam", "scanned-7", IMAGE, "c", FrameOutcome.NONE));
        queue.offer(Frame.arrived("cam", null, IMAGE, "d", FrameOutcome.NONE));
        assertEquals("scanned-7", queue.take().partId(), "the id the source gave the frame wins");
        assertNull(queue.take().partId(), "and the pending one is used up, never shifted onto the next part");
    }
}
