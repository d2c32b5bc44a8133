package io.dafedge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the models page and API read from a manifest. */
class ModelSummaryTest {
    @TempDir
    Path tmp;

    private ModelBundle bundle(String json) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("b" + System.nanoTime()));
        Files.writeString(dir.resolve(ModelBundle.MANIFEST), json);
        return ModelBundle.open(dir);
    }

    @Test
    void readsThresholdMetricsAndThePruningScheme() throws Exception {
        ModelSummary s = ModelSummary.of(bundle("""
                {"format_version": 1, "id": "m-1", "method": "daf", "created_at": "2026-11-20T08:00:00Z",
                 "threshold": 2.25, "metrics": {"image_auroc": 0.98123, "images": 40, "note": "text is skipped"},
                 "training": {"pruning": {"mapper": "rule", "target_sparsity": 0.75, "sparsity": 0.712, "layers": [
                   {"parameter": "a", "scheme": "pattern"}, {"parameter": "b", "scheme": "pattern"},
                   {"parameter": "c", "scheme": "block"}, {"parameter": "d", "scheme": "dense"}]}}}
                """));
        assertEquals("m-1", s.id());
        assertEquals("daf", s.method());
        assertEquals(Instant.parse("2026-11-20T08:00:00Z"), s.createdAt());
        assertEquals(2.25, s.threshold());
        assertEquals("image_auroc 0.981, images 40", s.metricsText());
        assertEquals(new ModelSummary.Pruning("rule", 0.75, 0.712, Map.of("block", 1, "pattern", 2)), s.pruning());
        assertEquals("rule: 1 block, 2 pattern layers; sparsity 0.712 (target 0.75)", s.pruning().text());
    }

    @Test
    void aPlainBundleHasNoThresholdMetricsOrScheme() throws Exception {
        ModelSummary s = ModelSummary.of(bundle("""
                {"format_version": 1, "id": "m-2", "method": "padim", "created_at": "yesterday",
                 "threshold": "high", "metrics": [1, 2], "training": {"images": 4}}
                """));
        assertNull(s.createdAt(), "not a time");
        assertNull(s.threshold(), "not a number");
        assertNull(s.metrics(), "not an object");
        assertEquals("", s.metricsText());
        assertNull(s.pruning(), "dense");
    }
}
