package io.dafedge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.Verdict;

class ResultWriterTest {
    private static InspectionResult result() {
        return new InspectionResult(UUID.randomUUID(), "cam", "line", null, Instant.now(), Instant.now(), Verdict.OK,
                1f, 2f, "m", 1, List.of(), 0, null, new byte[] {1}, 0, 1, 0);
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 200 && !done.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        assertTrue(done.getAsBoolean());
    }

    @Test
    void resultsAreSavedInBatchesInTheirOrder() throws Exception {
        List<InspectionResult> saved = new ArrayList<>();
        List<Integer> batches = new ArrayList<>();
        CountDownLatch hold = new CountDownLatch(1);
        try (ResultWriter w = new ResultWriter(100, batch -> {
            try {
                hold.await(5, TimeUnit.SECONDS); // the first batch waits, so the rest pile up into one batch
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (saved) {
                saved.addAll(batch);
                batches.add(batch.size());
            }
        })) {
            List<InspectionResult> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                InspectionResult r = result();
                sent.add(r);
                w.accept(r, null);
            }
            hold.countDown();
            await(() -> w.stored() == 10);
            synchronized (saved) {
                assertEquals(sent, saved);
                assertTrue(batches.size() < 10, "batched: " + batches);
            }
            assertEquals(0, w.dropped());
        }
    }

    @Test
    void aDatabaseThatIsDownIsRetriedAndNothingIsLostMeanwhile() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        List<InspectionResult> saved = new ArrayList<>();
        try (ResultWriter w = new ResultWriter(100, batch -> {
            if (down.get()) {
                throw new IllegalStateException("connection refused");
            }
            synchronized (saved) {
                saved.addAll(batch);
            }
        })) {
            for (int i = 0; i < 5; i++) {
                w.accept(result(), null);
            }
            await(() -> w.lastError() != null);
            assertEquals("connection refused", w.lastError());
            assertEquals(0, w.stored());
            down.set(false);
            await(() -> w.stored() == 5);
            assertNull(w.lastError());
            assertEquals(0, w.dropped());
        }
    }

    @Test
    void aFullQueueCountsWhatItCannotTake() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        ResultWriter w = new ResultWriter(3, batch -> {
            try {
                hold.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        w.accept(result(), null); // taken by the writer thread, which then waits
        await(() -> w.pending() == 0);
        for (int i = 0; i < 5; i++) {
            w.accept(result(), null);
        }
        assertEquals(3, w.pending());
        assertEquals(2, w.dropped());
        hold.countDown();
        w.close();
        assertEquals(4, w.stored());
    }
}
