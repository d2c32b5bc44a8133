package io.dafedge.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.dafedge.inspect.Box;
import io.dafedge.inspect.DefectRegion;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.Verdict;
import io.dafedge.store.ResultRepository.Filter;
import io.dafedge.store.ResultRepository.Picture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** The store against its database: what is saved comes back, lists filter and page, retention deletes the right rows. */
@QuarkusTest
@TestProfile(StoreProfile.class)
class ResultRepositoryTest {
    /** Far enough in the past that no other test's rows fall within a retention window these tests apply. */
    private static final Instant BASE = Instant.parse("2001-01-01T00:00:00Z");

    @Inject
    ResultRepository repository;

    private static InspectionResult result(String line, Verdict verdict, Instant at, byte[] picture,
            DefectRegion... regions) {
        boolean judged = verdict != Verdict.UNKNOWN;
        return new InspectionResult(UUID.randomUUID(), "cam-" + line, line, "part-" + at.getEpochSecond(),
                at.minusMillis(40), at, verdict, judged ? 0.75f : null, judged ? 0.5f : null,
                judged ? "model-a" : null, judged ? 2 : null, List.of(regions), 0,
                picture, picture, 1.5, judged ? 20.25 : 0, 3.5);
    }

    private static byte[] png(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aSavedInspectionComesBackWithItsRegionsInOrderAndItsPictures() {
        String line = "l-" + UUID.randomUUID();
        byte[] picture = png(300_000, 1); // larger than a default binary column, as a real heat map can be
        DefectRegion big = new DefectRegion(new Box(10, 20, 30, 40), new Box(1, 2, 3, 4), 900, 0.9f, 0.7f);
        DefectRegion small = new DefectRegion(new Box(100, 5, 6, 7), new Box(10, 1, 1, 1), 30, 0.6f, 0.55f);
        InspectionResult nok = result(line, Verdict.NOK, BASE, picture, big, small);
        InspectionResult unknown = result(line, Verdict.UNKNOWN, BASE.plusSeconds(1), null);
        repository.saveAll(List.of(nok, unknown));

        InspectionRecord r = repository.find(nok.resultId()).orElseThrow();
        assertEquals("NOK", r.verdict);
        assertEquals(nok.partId(), r.partId);
        assertEquals(nok.capturedAt(), r.capturedAt);
        assertEquals(0.75, r.score, 1e-6);
        assertEquals(2, r.modelVersion);
        assertEquals(20.25, r.detectMs, 1e-9);
        assertTrue(r.hasImages);
        assertEquals(2, r.regions.size());
        RegionRecord first = r.regions.get(0);
        assertEquals(List.of(10, 20, 30, 40), List.of(first.x, first.y, first.width, first.height));
        assertEquals(900, first.area);
        assertEquals(100, r.regions.get(1).x);
        assertArrayEquals(picture, repository.picture(nok.resultId(), Picture.HEATMAP).orElseThrow());
        assertArrayEquals(picture, repository.picture(nok.resultId(), Picture.THUMBNAIL).orElseThrow());

        InspectionRecord u = repository.find(unknown.resultId()).orElseThrow();
        assertEquals("UNKNOWN", u.verdict);
        assertNull(u.score);
        assertNull(u.modelId);
        assertFalse(u.hasImages);
        assertTrue(repository.picture(unknown.resultId(), Picture.THUMBNAIL).isEmpty());
    }

    @Test
    void listsAreNewestFirstFilteredAndPaged() {
        String line = "l-" + UUID.randomUUID();
        List<InspectionResult> batch = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            batch.add(result(line, i % 2 == 0 ? Verdict.OK : Verdict.NOK, BASE.plusSeconds(100 + i), null));
        }
        repository.saveAll(batch);

        var all = repository.list(new Filter(line, null, null, null, null), 0, 3);
        assertEquals(7, all.total());
        assertEquals(List.of(batch.get(6).resultId(), batch.get(5).resultId(), batch.get(4).resultId()),
                all.items().stream().map(i -> i.id).toList());
        var last = repository.list(new Filter(line, null, null, null, null), 2, 3);
        assertEquals(List.of(batch.get(0).resultId()), last.items().stream().map(i -> i.id).toList());

        var nok = repository.list(new Filter(line, "cam-" + line, "NOK", null, null), 0, 10);
        assertEquals(3, nok.total());
        assertTrue(nok.items().stream().allMatch(i -> i.verdict.equals("NOK")));
        var window = repository.list(
                new Filter(line, null, null, BASE.plusSeconds(102), BASE.plusSeconds(105)), 0, 10);
        assertEquals(List.of(batch.get(4).resultId(), batch.get(3).resultId(), batch.get(2).resultId()),
                window.items().stream().map(i -> i.id).toList());
        assertEquals(0, repository.list(new Filter("no-such-line", null, null, null, null), 0, 10).total());
    }

    @Test
    void aBatchIsStoredWhollyOrNotAtAll() {
        String line = "l-" + UUID.randomUUID();
        InspectionResult r = result(line, Verdict.OK, BASE.plusSeconds(200), null);
        repository.saveAll(List.of(r));
        InspectionResult fresh = result(line, Verdict.OK, BASE.plusSeconds(201), null);
        // the same result id twice violates the primary key, so the fresh one must not stay either
        assertThrows(RuntimeException.class, () -> repository.saveAll(List.of(fresh, r)));
        assertTrue(repository.find(fresh.resultId()).isEmpty());
        assertEquals(1, repository.list(new Filter(line, null, null, null, null), 0, 10).total());
    }

    @Test
    void retentionKeepsTheNewestPicturesAndDropsOldRecordsWithTheirRegions() {
        String line = "l-" + UUID.randomUUID();
        Instant now = Instant.now();
        DefectRegion region = new DefectRegion(new Box(1, 1, 2, 2), new Box(0, 0, 1, 1), 4, 0.9f, 0.8f);
        InspectionResult ancient = result(line, Verdict.NOK,
                now.minus(StoreProfile.RETENTION_DAYS + 1, ChronoUnit.DAYS), png(100, 9), region);
        List<InspectionResult> recent = new ArrayList<>();
        for (int i = 0; i < StoreProfile.MAX_IMAGES + 2; i++) {
            recent.add(result(line, Verdict.NOK, now.minusSeconds(60 - i), png(100, i), region));
        }
        List<InspectionResult> all = new ArrayList<>(recent);
        all.add(ancient);
        repository.saveAll(all);

        assertTrue(repository.applyRetention(now) > 0);

        assertTrue(repository.find(ancient.resultId()).isEmpty(), "older than the retention period");
        for (int i = 0; i < recent.size(); i++) {
            UUID id = recent.get(i).resultId();
            boolean newest = i >= recent.size() - StoreProfile.MAX_IMAGES;
            InspectionRecord r = repository.find(id).orElseThrow(() -> new AssertionError("record kept"));
            assertEquals(1, r.regions.size());
            assertEquals(newest, r.hasImages, "pictures of record " + i);
            assertEquals(newest, repository.picture(id, Picture.HEATMAP).isPresent(), "picture of record " + i);
        }
    }
}
