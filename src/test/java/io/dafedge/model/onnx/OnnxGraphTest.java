package io.dafedge.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dafedge.model.ModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Lookups, ordering and pruning on small hand-built graphs. */
class OnnxGraphTest {
    /** x -> n0 Conv -> a -> n1 Relu -> b (feature) -> n2 Add(b, a) -> c -> n3 GlobalAveragePool -> head. */
    private static TestModel backboneWithHead() {
        return new TestModel().input("x", 1, 3, 8, 8).weights("w", 4, 3, 3, 3).weights("unused", 2)
                .node("Conv", "x,w", "a").node("Relu", "a", "b").node("Add", "b,a", "c")
                .node("GlobalAveragePool", "c", "head").output("head", 1, 4, 1, 1);
    }

    @Test
    void findsProducersAndConsumers() throws Exception {
        OnnxGraph g = backboneWithHead().read();
        assertEquals("n0", g.producer("a").orElseThrow().name());
        assertEquals(Optional.empty(), g.producer("x"));
        assertEquals(Optional.empty(), g.producer("w"));
        assertEquals(List.of("n1", "n2"), g.consumers("a").stream().map(OnnxNode::name).toList());
        assertEquals(List.of(), g.consumers("head"));
        assertEquals(Map.of("Add", 1, "Conv", 1, "GlobalAveragePool", 1, "Relu", 1), g.opHistogram());
    }

    @Test
    void prunesToTheNodesAWantedOutputNeeds() throws Exception {
        OnnxGraph full = backboneWithHead().read();
        OnnxGraph features = full.prunedTo(List.of("b"));
        assertEquals(List.of("n0", "n1"), features.nodes().stream().map(OnnxNode::name).toList());
        assertEquals(List.of("x"), features.inputs().stream().map(OnnxValueInfo::name).toList());
        assertEquals(List.of("w"), List.copyOf(features.initializers().keySet()));
        assertEquals(List.of(OnnxValueInfo.untyped("b")), features.outputs());
        assertEquals(List.of("n1"), features.consumers("a").stream().map(OnnxNode::name).toList(),
                "consumers outside the pruned graph are gone");

        OnnxGraph same = full.prunedTo(List.of("head", "b"));
        assertEquals(4, same.nodes().size());
        assertEquals(full.outputs().get(0), same.outputs().get(0), "a declared output keeps its declared type");
        assertEquals(0, full.prunedTo(List.of("w")).nodes().size(), "an initializer needs no node");
    }

    @Test
    void ordersNodesTopologicallyWhateverTheFileOrder() throws Exception {
        OnnxGraph g = new TestModel().input("x", 1)
                .node("Relu", "b", "c").node("Identity", "x", "a").node("Relu", "a", "b").node("Identity", "x", "d")
                .read();
        assertEquals(List.of("n0", "n1", "n2", "n3"), g.nodes().stream().map(OnnxNode::name).toList());
        assertEquals(List.of("n1", "n2", "n0", "n3"), g.topologicalOrder().stream().map(OnnxNode::name).toList());
        assertEquals(List.of("n1", "n2", "n0"), g.prunedTo(List.of("c")).nodes().stream().map(OnnxNode::name).toList());
    }

    @Test
    void countsOnlyInitializerFreeInputsAsDataInputs() throws Exception {
        // files before IR version 4 list every initializer among the graph inputs too
        OnnxGraph g = new TestModel().input("x", 1, 3, 4, 4).input("w", 2, 3, 1, 1).weights("w", 2, 3, 1, 1)
                .node("Conv", "x,w", "y").read();
        assertEquals(2, g.inputs().size());
        assertEquals(List.of("x"), g.dataInputs().stream().map(OnnxValueInfo::name).toList());
    }

    @Test
    void refusesBrokenGraphs() {
        refused(() -> new TestModel().input("x", 1).node("Relu", "x", "y").node("Relu", "x", "y").read(),
                "test.onnx: value 'y' is produced by both node 'n0' (Relu) and node 'n1' (Relu)");
        refused(() -> new TestModel().weights("w", 1).weights("w", 2).read(), "two initializers are named 'w'");
        refused(() -> new TestModel().input("x", 1).node("Add", "x,b", "a").node("Relu", "a", "b")
                .node("Relu", "b", "c").read(), "3 nodes, the first node 'n0' (Add), depend on a cycle");
        refused(() -> backboneWithHead().read().prunedTo(List.of("nope")),
                "value 'nope' (a wanted output) is produced by no node and is neither a graph input nor an "
                        + "initializer");
        refused(() -> new TestModel().input("x", 1).node("Add", "x,ghost", "y").read().prunedTo(List.of("y")),
                "value 'ghost' (an input of node 'n0' (Add)) is produced by no node");
    }

    private static void refused(Executable read, String message) {
        ModelException e = assertThrows(ModelException.class, read);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
