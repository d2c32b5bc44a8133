package io.dafedge.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.FrameSources;
import io.dafedge.inspect.ModelPromotions.Promotion;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelCatalog;
import io.dafedge.model.TestBundles;

/** Promotions and rollbacks on real PaDiM bundles, with the history in memory. */
class ModelPromotionsTest {
    @TempDir
    static Path models;
    private static ModelBundle a;
    private static ModelBundle b;
    private static ModelBundle recorded;

    private final LineModels lineModels = new LineModels();
    private final Map<String, LineSetup.Saved> memory = new HashMap<>();
    private final Memory history = new Memory();
    private Appliance appliance;
    private LineSetup setup;
    private ModelPromotions promotions;

    /** Promotions kept in a list, in the order they were made. */
    static final class Memory implements ModelPromotions.History {
        final List<Promotion> all = new ArrayList<>();

        @Override
        public Promotion add(Promotion p) {
            Promotion stored = new Promotion(all.size() + 1, p.line(), p.modelId(), p.bundle(), p.threshold(),
                    p.promotedBy(), p.promotedAt(), p.previousModelId(), p.previousBundle(), p.previousThreshold(),
                    null, null);
            all.add(stored);
            return stored;
        }

        @Override
        public Optional<Promotion> lastStanding(String line) {
            return list(line, Integer.MAX_VALUE).stream().filter(p -> p.rolledBackAt() == null).findFirst();
        }

        @Override
        public void rolledBack(long id, String by, Instant at) {
            Promotion p = all.get((int) id - 1);
            all.set((int) id - 1, new Promotion(p.id(), p.line(), p.modelId(), p.bundle(), p.threshold(),
                    p.promotedBy(), p.promotedAt(), p.previousModelId(), p.previousBundle(), p.previousThreshold(),
                    by, at));
        }

        @Override
        public List<Promotion> list(String line, int limit) {
            List<Promotion> newest = new ArrayList<>(all.stream().filter(p -> p.line().equals(line)).toList());
            java.util.Collections.reverse(newest);
            return newest.stream().limit(limit).toList();
        }
    }

    @BeforeAll
    static void bundles() throws Exception {
        a = TestBundles.padim(models.resolve("a"), 1);
        b = TestBundles.padim(models.resolve("b"), 100);
        recorded = TestBundles.copy(a, models.resolve("recorded"), "recorded-1",
                ModelBundle.JSON.createObjectNode().put("threshold", 7.5));
    }

    @BeforeEach
    void appliance() {
        List<CameraSettings> cams = List.of(new CameraSettings("cam", "one", "http", Optional.empty(), 0, 0, 2),
                new CameraSettings("other", "two", "http", Optional.empty(), 0, 0, 2));
        appliance = new Appliance(cams, lineModels, new Inspector(lineModels::current, new Postprocess(),
                Clock.systemUTC()), List.of(), FrameSources::create);
        setup = new LineSetup(lineModels, new LineSetup.Memory() {
            @Override
            public Optional<LineSetup.Saved> load(String line) {
                return Optional.ofNullable(memory.get(line));
            }

            @Override
            public void save(String line, LineSetup.Saved saved) {
                memory.put(line, saved);
            }
        }, 1);
        promotions = new ModelPromotions(appliance, setup, new ModelCatalog(List::of, List.of(models)), history,
                Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        appliance.close();
    }

    @Test
    void aPromotionMakesTheModelInspectAndIsRecordedWithWhatTheLineHadBefore() {
        LineModel m = promotions.promote("one", a.id(), 10.0, "ed");
        assertEquals(a.id(), m.modelId());
        assertEquals(10f, lineModels.current("one").orElseThrow().threshold());
        Promotion first = history.all.get(0);
        assertEquals("one", first.line());
        assertEquals("ed", first.promotedBy());
        assertEquals(Instant.parse("2026-11-27T10:00:00Z"), first.promotedAt());
        assertEquals(a.dir().toAbsolutePath(), first.bundle());
        assertNull(first.previousModelId(), "the line had no model");

        promotions.promote("one", b.id(), 12.0, "ed");
        Promotion second = history.all.get(1);
        assertEquals(a.id(), second.previousModelId());
        assertEquals(10f, second.previousThreshold());
        assertEquals(a.dir().toAbsolutePath(), second.previousBundle());
        assertTrue(lineModels.current("two").isEmpty(), "the other line keeps what it had");
    }

    @Test
    void withoutAThresholdTheBundlesRecordedOneIsUsedOrThePromotionRefused() {
        assertEquals(7.5f, promotions.promote("one", recorded.id(), null, "ed").threshold());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> promotions.promote("one", b.id(), null, "ed"));
        assertTrue(e.getMessage().startsWith("model " + b.id() + " records no threshold in its manifest: give one"),
                e.getMessage());
        assertEquals(recorded.id(), lineModels.current("one").orElseThrow().modelId(), "unchanged");
        assertEquals(1, history.all.size());
    }

    @Test
    void badRequestsChangeNothing() {
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> promotions.promote("one", a.id(), 0.0, "ed"));
        assertTrue(range.getMessage().endsWith("is out of range for a padim model: above 0 and at most 1000000"),
                range.getMessage());
        NoSuchElementException model = assertThrows(NoSuchElementException.class,
                () -> promotions.promote("one", models.resolve("a").toString(), 5.0, "ed"));
        assertEquals("no known model '" + models.resolve("a") + "'", model.getMessage(), "a path is no model id");
        NoSuchElementException line = assertThrows(NoSuchElementException.class,
                () -> promotions.promote("three", a.id(), 5.0, "ed"));
        assertEquals("no line 'three' (lines: [one, two])", line.getMessage());
        assertTrue(lineModels.current("one").isEmpty());
        assertTrue(history.all.isEmpty());
    }

    @Test
    void rollbacksWalkBackThroughThePromotions() {
        promotions.promote("one", a.id(), 10.0, "ed");
        promotions.promote("one", b.id(), 12.0, "ed");
        promotions.promote("one", recorded.id(), null, "ed");

        LineModel back = promotions.rollback("one", "flo");
        assertEquals(b.id(), back.modelId());
        assertEquals(12f, back.threshold());
        assertEquals("flo", history.all.get(2).rolledBackBy());
        back = promotions.rollback("one", "flo");
        assertEquals(a.id(), back.modelId());
        assertEquals(10f, back.threshold());
        assertEquals(a.id(), lineModels.current("one").orElseThrow().modelId());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> promotions.rollback("one", "flo"));
        assertTrue(e.getMessage().startsWith("line one had no model before " + a.id() + " was promoted on"),
                e.getMessage());
        assertEquals(a.id(), lineModels.current("one").orElseThrow().modelId(), "unchanged");
    }

    @Test
    void noRollbackWithoutAPromotionNorAfterTheModelWasChangedElsewhere() throws Exception {
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> promotions.rollback("two",
                "flo"));
        assertEquals("line two has no promotion to roll back", none.getMessage());

        promotions.promote("one", a.id(), 10.0, "ed");
        promotions.promote("one", b.id(), 12.0, "ed");
        setup.switchModel("one", recorded, 3f); // as an MES command would
        IllegalStateException changed = assertThrows(IllegalStateException.class,
                () -> promotions.rollback("one", "flo"));
        assertTrue(changed.getMessage().startsWith("line one inspects with model recorded-1, not with " + b.id()),
                changed.getMessage());
        assertEquals("recorded-1", lineModels.current("one").orElseThrow().modelId());
    }

    @Test
    void theHistoryIsTheLinesNewestFirst() {
        promotions.promote("one", a.id(), 10.0, "ed");
        promotions.promote("two", b.id(), 11.0, "ed");
        promotions.promote("one", b.id(), 12.0, "ed");
        assertEquals(List.of(b.id(), a.id()), promotions.history("one", 10).stream().map(Promotion::modelId)
                .toList());
        assertThrows(NoSuchElementException.class, () -> promotions.history("nine", 10));
    }
}
