package io.dafedge.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.djl.Djl;

class GradualPruningTest {
    private static Parameter parameter(NDManager m, String name, Parameter.Type type, Shape shape, long seed) {
        Parameter p = Parameter.builder().setName(name).setType(type).build();
        m.getEngine().setRandomSeed((int) seed);
        p.setArray(m.randomNormal(shape));
        return p;
    }

    private static double zeros(Parameter p) {
        float[] w = p.getArray().toFloatArray();
        long z = 0;
        for (float v : w) {
            if (v == 0f) {
                z++;
            }
        }
        return (double) z / w.length;
    }

    @Test
    void theRampIsCubicBetweenItsEnds() {
        assertEquals(0, GradualPruning.progress(0.1));
        assertEquals(0, GradualPruning.progress(GradualPruning.START));
        assertEquals(1 - 0.125, GradualPruning.progress((GradualPruning.START + GradualPruning.END) / 2), 1e-12);
        assertEquals(1, GradualPruning.progress(GradualPruning.END));
        assertEquals(1, GradualPruning.progress(1));
    }

    @Test
    void weightsArePrunedAlongTheRampAndStayPrunedThroughUpdates() {
        try (NDManager m = Djl.newManager()) {
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("conv3", parameter(m, "conv3", Parameter.Type.WEIGHT, new Shape(32, 48, 3, 3), 1));
            params.put("conv1", parameter(m, "conv1", Parameter.Type.WEIGHT, new Shape(96, 144, 1, 1), 2));
            params.put("conv1.bias", parameter(m, "conv1.bias", Parameter.Type.BIAS, new Shape(96), 3));
            params.put("boost1.conv", parameter(m, "boost1.conv", Parameter.Type.WEIGHT, new Shape(96, 144, 1, 1), 4));
            GradualPruning pruning = GradualPruning.rule(params, name -> !name.startsWith("boost"), 0.75);
            assertEquals(2, pruning.schemes().size(), "biases and excluded layers are not pruned");

            pruning.afterUpdate(params, 0.1);
            assertEquals(0, zeros(params.get("conv1")), "nothing before the ramp starts");
            double last = 0;
            for (double f = GradualPruning.START; f <= 1.0001; f += 0.05) {
                // an optimiser step moves every weight, pruned ones included
                for (Parameter p : params.values()) {
                    NDArray w = p.getArray();
                    w.addi(w.getManager().randomNormal(0, 1e-3f, w.getShape(), w.getDataType()));
                }
                pruning.afterUpdate(params, f);
                double z = zeros(params.get("conv1"));
                assertTrue(z >= last, "sparsity only grows: " + z + " after " + last);
                last = z;
            }
            assertEquals(0.75, zeros(params.get("conv1")), 1e-9);
            assertEquals(0.75, zeros(params.get("conv3")), 1e-3);
            assertEquals(0, zeros(params.get("boost1.conv")));

            JsonNode json = pruning.toJson(params);
            assertEquals("rule", json.get("mapper").asText());
            assertEquals(2, json.get("layers").size());
            assertEquals("pattern", json.get("layers").get(0).get("scheme").asText());
            assertEquals("block", json.get("layers").get(1).get("scheme").asText());
            assertEquals("32x1", json.get("layers").get(1).get("block").asText());
            assertEquals(0.75, json.get("sparsity").asDouble(), 1e-3);
        }
    }

    @Test
    void aSchemeFileInTheManifestsFormGivesTheSameSchemesBackAndRefusesStrangers() {
        try (NDManager m = Djl.newManager()) {
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("conv3", parameter(m, "conv3", Parameter.Type.WEIGHT, new Shape(32, 48, 3, 3), 1));
            params.put("conv1", parameter(m, "conv1", Parameter.Type.WEIGHT, new Shape(96, 144, 1, 1), 2));
            params.put("dw", parameter(m, "dw", Parameter.Type.WEIGHT, new Shape(96, 1, 3, 3), 3));
            GradualPruning rule = GradualPruning.rule(params, name -> true, 0.7);
            JsonNode manifestForm = rule.toJson(params);
            GradualPruning file = GradualPruning.fromScheme(manifestForm, params);
            assertEquals(rule.schemes().size(), file.schemes().size());
            for (int i = 0; i < rule.schemes().size(); i++) {
                LayerScheme a = rule.schemes().get(i);
                LayerScheme b = file.schemes().get(i);
                assertEquals(a.parameter(), b.parameter());
                assertEquals(a.kind(), b.kind());
                assertEquals(a.blockFilters(), b.blockFilters());
                assertEquals(a.rate(), b.rate(), 1e-12);
            }
            assertEquals("file", file.toJson(params).get("mapper").asText());

            ObjectNode stranger = ModelBundle.JSON.createObjectNode();
            stranger.putArray("layers").addObject().put("parameter", "nope").put("scheme", "dense");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GradualPruning.fromScheme(stranger, params));
            assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
            ObjectNode misfit = ModelBundle.JSON.createObjectNode();
            misfit.putArray("layers").addObject().put("parameter", "conv1").put("scheme", "pattern")
                    .put("block", "32x1").put("connectivity_rate", 0.2);
            assertThrows(IllegalArgumentException.class, () -> GradualPruning.fromScheme(misfit, params),
                    "a 3x3 pattern on a 1x1 weight");
        }
    }
}
