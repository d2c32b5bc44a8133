package io.dafedge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which bundles the appliance knows by id: named ones, and those directly inside its model folders. */
class ModelCatalogTest {
    @TempDir
    Path tmp;

    private static Path bundle(Path dir, String id) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ModelBundle.MANIFEST),
                "{\"format_version\":1,\"method\":\"padim\",\"id\":\"" + id + "\"}");
        return dir;
    }

    @Test
    void knowsNamedBundlesAndTheBundlesInsideItsFoldersReadAnewEachTime() throws Exception {
        Path models = tmp.resolve("models");
        Path named = bundle(tmp.resolve("elsewhere/configured"), "m-configured");
        bundle(models.resolve("b"), "m-b");
        bundle(models.resolve("a"), "m-a");
        bundle(models.resolve("copy-of-a"), "m-a");
        bundle(models.resolve(".writing"), "m-hidden");
        bundle(models.resolve("a").resolve("nested"), "m-nested");
        Files.createDirectories(models.resolve("collected"));
        Files.createDirectories(models.resolve("bad"));
        Files.writeString(models.resolve("bad").resolve(ModelBundle.MANIFEST), "{not json");
        Files.writeString(models.resolve("loose-file"), "x");
        List<Path> namedNow = new ArrayList<>(List.of(named));
        ModelCatalog catalog = new ModelCatalog(() -> namedNow, List.of(models, tmp.resolve("absent")));

        assertEquals(List.of("m-configured", "m-a", "m-b"), catalog.list().stream().map(ModelBundle::id).toList(),
                "named first, then by folder name; the first folder of an id wins; hidden, nested, broken and "
                        + "absent are skipped");
        assertEquals(models.resolve("a"), catalog.find("m-a").orElseThrow().dir());
        assertFalse(catalog.find("m-hidden").isPresent());
        assertFalse(catalog.find(models.resolve("b").toString()).isPresent(), "a path is not an id");

        bundle(models.resolve("c"), "m-c");
        namedNow.clear();
        assertTrue(catalog.find("m-c").isPresent(), "a bundle copied in later is known at once");
        assertFalse(catalog.find("m-configured").isPresent());
    }

    @Test
    void thresholdsMakeSenseWithinTheMethodsScores() {
        ScoreRange daf = ScoreRange.of("daf");
        assertTrue(daf.admits(0.5) && daf.admits(15));
        assertFalse(daf.admits(15.01) || daf.admits(0) || daf.admits(-1) || daf.admits(Double.NaN));
        ScoreRange padim = ScoreRange.of("padim");
        assertTrue(padim.admits(35) && padim.admits(1e6));
        assertFalse(padim.admits(1e6 + 1) || padim.admits(Double.POSITIVE_INFINITY));
        assertEquals("above 0 and at most 15", daf.toString());
    }
}
