package io.dafedge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.LineModel;
import io.dafedge.inspect.LineSetup;
import io.dafedge.model.ModelBundle;
import io.dafedge.publish.ResultMessages;

/**
 * The commands that need a model, on two real PaDiM bundles (fitted on a few small demo parts): switch-model, set-threshold
 * and reinspect, their effects on the next results and on what the line remembers, and their refusals.
 */
class CommandsOnModelsTest {
    private static final String T = "\"token\":\"" + Fixture.TOKEN + "\"";
    @TempDir
    static Path fitted;
    private static ModelBundle first;
    private static ModelBundle second;

    @TempDir
    Path tmp;
    private Fixture f;

    @BeforeAll
    static void bundles() throws Exception {
        first = Fixture.padim(fitted.resolve("first"), 1);
        second = Fixture.padim(fitted.resolve("second"), 100);
    }

    @BeforeEach
    void appliance() throws Exception {
        f = new Fixture(tmp, Fixture.ALL);
        copy(first.dir(), f.modelsFolder.resolve("first"));
        copy(second.dir(), f.modelsFolder.resolve("second"));
    }

    @AfterEach
    void close() {
        f.close();
    }

    private Ack switchTo(String line, ModelBundle b, double threshold) {
        return f.send(line, "{\"id\":\"s\",\"command\":\"switch-model\",\"model\":\"" + b.id() + "\",\"threshold\":"
                + threshold + "," + T + "}");
    }

    @Test
    void switchModelMakesAKnownBundleActiveNumberedAndRememberedAsAtStartUp() throws Exception {
        Ack ack = switchTo("one", first, 10);
        assertTrue(ack.accepted(), ack.reason());
        assertEquals(first.id(), ack.details().get("modelId").asText());
        assertEquals(1, ack.details().get("modelVersion").asInt());
        assertEquals(10f, ack.details().get("threshold").floatValue());
        assertEquals(1, switchTo("one", first, 11).details().get("modelVersion").asInt(), "same model, same number");
        assertEquals(2, switchTo("one", second, 12).details().get("modelVersion").asInt());
        assertEquals(3, switchTo("one", first, 13).details().get("modelVersion").asInt(), "back again: a new number");

        LineSetup.Saved saved = f.memory.saved.get("one");
        assertEquals(first.id(), saved.modelId());
        assertEquals(3, saved.version());
        assertEquals(13f, saved.threshold());
        assertEquals(f.modelsFolder.resolve("first").toAbsolutePath(), saved.model());
        InspectionResult r = f.inspect("solo", "P-1");
        assertEquals(first.id(), r.modelId());
        assertEquals(3, r.modelVersion());
        assertEquals(13f, r.threshold());
        assertTrue(f.models.current("two").isEmpty(), "the other line keeps what it had");
    }

    @Test
    void aBundleThatCannotBeLoadedIsRefusedAndTheLineKeepsItsModel() throws Exception {
        assertTrue(switchTo("one", first, 10).accepted());
        Path broken = Files.createDirectories(f.modelsFolder.resolve("broken"));
        ObjectNode manifest = (ObjectNode) first.manifest().deepCopy();
        manifest.put("id", "broken-1");
        ModelBundle.JSON.writeValue(broken.resolve(ModelBundle.MANIFEST).toFile(), manifest);
        int saves = f.memory.saves;

        Ack ack = f.send("one", "{\"id\":\"s\",\"command\":\"switch-model\",\"model\":\"broken-1\",\"threshold\":5,"
                + T + "}");
        assertFalse(ack.accepted());
        assertTrue(ack.reason().startsWith("model broken-1 could not be made active (")
                && ack.reason().endsWith("); the line keeps model " + first.id()), ack.reason());
        assertEquals(first.id(), f.models.current("one").orElseThrow().modelId());
        assertEquals(10f, f.models.current("one").orElseThrow().threshold());
        assertEquals(saves, f.memory.saves, "nothing remembered");
    }

    @Test
    void anUnknownModelIsRefusedNamingTheKnownOnes() {
        Ack ack = f.send("one", "{\"id\":\"s\",\"command\":\"switch-model\",\"model\":\"" + f.modelsFolder
                .resolve("first") + "\",\"threshold\":5," + T + "}");
        assertTrue(ack.reason().startsWith("no known model '"), ack.reason());
        assertTrue(ack.reason().contains(first.id()) && ack.reason().contains(second.id()), ack.reason());
        assertTrue(f.models.current("one").isEmpty(), "a path is no model id");
    }

    @Test
    void setThresholdChangesTheNextVerdictsKeepsTheModelAndIsRemembered() throws Exception {
        assertTrue(switchTo("one", first, 10).accepted());
        LineModel before = f.models.current("one").orElseThrow();
        Ack ack = f.send("one", "{\"id\":\"t\",\"command\":\"set-threshold\",\"threshold\":42.5," + T + "}");
        assertTrue(ack.accepted(), ack.reason());
        LineModel now = f.models.current("one").orElseThrow();
        assertEquals(42.5f, now.threshold());
        assertEquals(before.modelVersion(), now.modelVersion());
        assertTrue(before.detector() == now.detector(), "the same detector, not reloaded");
        assertEquals(42.5f, f.memory.saved.get("one").threshold());
        assertEquals(1, f.memory.saved.get("one").version());
        assertEquals(42.5f, f.inspect("solo", null).threshold());
    }

    @Test
    void aThresholdOutsideTheModelsScoreRangeIsRefused() {
        assertTrue(switchTo("one", first, 10).accepted());
        int saves = f.memory.saves;
        for (String t : List.of("0", "-1", "1000001", "1e-60")) {
            Ack ack = f.send("one", "{\"id\":\"t\",\"command\":\"set-threshold\",\"threshold\":" + t + "," + T + "}");
            assertTrue(ack.reason().endsWith("is out of range for a padim model: above 0 and at most 1000000"),
                    t + ": " + ack.reason());
        }
        Ack ack = switchTo("one", second, 0);
        assertTrue(ack.reason().contains("out of range"), ack.reason());
        assertEquals(10f, f.models.current("one").orElseThrow().threshold());
        assertEquals(first.id(), f.models.current("one").orElseThrow().modelId());
        assertEquals(saves, f.memory.saves);
    }

    @Test
    void reinspectInspectsTheLatestFrameAgainAsANewResultNamingTheOriginal() throws Exception {
        assertTrue(switchTo("one", first, 10).accepted());
        InspectionResult original = f.inspect("solo", "P-9");
        Ack ack = f.send("one", "{\"id\":\"r\",\"command\":\"reinspect\"," + T + "}");
        assertTrue(ack.accepted(), ack.reason());
        assertEquals(original.resultId().toString(), ack.details().get("reinspectionOf").asText());

        Fixture.Published again = f.published.get(f.published.size() - 1);
        assertEquals(ack.details().get("resultId").asText(), again.result().resultId().toString());
        assertNotEquals(original.resultId(), again.result().resultId());
        assertEquals(original.resultId(), again.frame().reinspectionOf());
        assertEquals(original.resultId(), again.result().reinspectionOf(), "stored with it too");
        assertEquals("P-9", again.result().partId());
        assertEquals(original.capturedAt(), again.result().capturedAt());
        assertEquals(original.score(), again.result().score(), "the same picture, the same model");
        ObjectNode json = ResultMessages.result("site", again.result(), again.frame(), System.nanoTime());
        assertEquals(original.resultId().toString(), json.get("reinspectionOf").asText());
        assertFalse(ResultMessages.result("site", original, f.published.get(0).frame(), System.nanoTime())
                .has("reinspectionOf"), "an ordinary result has no reinspectionOf");

        Ack twice = f.send("one", "{\"id\":\"r2\",\"command\":\"reinspect\",\"camera\":\"solo\"," + T + "}");
        assertEquals(original.resultId().toString(), twice.details().get("reinspectionOf").asText(),
                "a reinspection does not become the camera's latest frame");
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
