package io.dafedge.model.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

import io.dafedge.model.ModelException;

/**
 * A computation graph: its declared inputs and outputs, nodes, initializers (the weights), and the lookups a converter
 * needs: who produces and who consumes a value, a topological order, and the part of the graph that computes chosen
 * outputs. Values are single-assignment, as ONNX requires; a graph breaking that is refused.
 */
public final class OnnxGraph {
    private final String source;
    private final String name;
    private final List<OnnxValueInfo> inputs;
    private final List<OnnxValueInfo> outputs;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    /** Value name to the position in {@link #nodes} of the node that produces it. */
    private final Map<String, Integer> producedAt = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();
    private final List<OnnxNode> topological;

    OnnxGraph(String source, String name, List<OnnxValueInfo> inputs, List<OnnxValueInfo> outputs,
              List<OnnxNode> nodes, List<OnnxTensor> initializers) throws ModelException {
        this.source = source;
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.nodes = List.copyOf(nodes);
        Map<String, OnnxTensor> byName = new LinkedHashMap<>();
        for (OnnxTensor t : initializers) {
            if (byName.put(t.name(), t) != null) {
                throw new ModelException(source + ": two initializers are named '" + t.name() + "'");
            }
        }
        this.initializers = Collections.unmodifiableMap(byName);
        for (int i = 0; i < this.nodes.size(); i++) {
            OnnxNode node = this.nodes.get(i);
            for (String out : node.outputs()) {
                Integer before = out.isEmpty() ? null : producedAt.put(out, i);
                if (before != null) {
                    throw new ModelException(source + ": value '" + out + "' is produced by both "
                            + this.nodes.get(before) + " and " + node);
                }
            }
            for (String in : new LinkedHashSet<>(node.inputs())) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
                }
            }
        }
        this.topological = sortTopologically();
    }

    public String name() {
        return name;
    }

    /** The declared inputs, including initializers that older files also list as inputs. */
    public List<OnnxValueInfo> inputs() {
        return inputs;
    }

    /** The inputs a caller must feed: those without an initializer. */
    public List<OnnxValueInfo> dataInputs() {
        return inputs.stream().filter(i -> !initializers.containsKey(i.name())).toList();
    }

    public List<OnnxValueInfo> outputs() {
        return outputs;
    }

    /** The nodes in file order (for a pruned graph: topological order). */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** The nodes ordered so each comes after the producers of its inputs, keeping file order where it allows. */
    public List<OnnxNode> topologicalOrder() {
        return topological;
    }

    /** Initializers by name, in file order. */
    public Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    public Optional<OnnxTensor> initializer(String value) {
        return Optional.ofNullable(initializers.get(value));
    }

    /** The node computing a value; empty for inputs, initializers and unknown names. */
    public Optional<OnnxNode> producer(String value) {
        return Optional.ofNullable(producedAt.get(value)).map(nodes::get);
    }

    /** The nodes reading a value, in file order, each once. */
    public List<OnnxNode> consumers(String value) {
        return List.copyOf(consumers.getOrDefault(value, List.of()));
    }

    /** How many nodes of each op type the graph has. */
    public SortedMap<String, Integer> opHistogram() {
        SortedMap<String, Integer> counts = new TreeMap<>();
        nodes.forEach(n -> counts.merge(n.opType(), 1, Integer::sum));
        return counts;
    }

    /**
     * The part of this graph that computes {@code wanted}: those values as its outputs, only the nodes they depend
     * on (in topological order) and only the inputs and initializers those nodes read. Everything else, such as a
     * classifier head behind feature outputs, is dropped.
     */
    public OnnxGraph prunedTo(Collection<String> wanted) throws ModelException {
        Set<String> inputNames = new HashSet<>();
        inputs.forEach(i -> inputNames.add(i.name()));
        Set<String> reached = new HashSet<>();
        Set<OnnxNode> needed = new HashSet<>();
        Deque<Need> todo = new ArrayDeque<>();
        wanted.forEach(w -> todo.add(new Need(w, "a wanted output")));
        while (!todo.isEmpty()) {
            Need need = todo.pop();
            if (!reached.add(need.value())) {
                continue;
            }
            Integer at = producedAt.get(need.value());
            if (at != null) {
                OnnxNode node = nodes.get(at);
                if (needed.add(node)) {
                    node.inputs().stream().filter(in -> !in.isEmpty())
                            .forEach(in -> todo.push(new Need(in, "an input of " + node)));
                }
            } else if (!initializers.containsKey(need.value()) && !inputNames.contains(need.value())) {
                throw new ModelException(source + ": value '" + need.value() + "' (" + need.by()
                        + ") is produced by no node and is neither a graph input nor an initializer");
            }
        }
        List<OnnxValueInfo> prunedOutputs = new ArrayList<>();
        for (String w : new LinkedHashSet<>(wanted)) {
            prunedOutputs.add(outputs.stream().filter(o -> o.name().equals(w)).findFirst()
                    .orElse(OnnxValueInfo.untyped(w)));
        }
        return new OnnxGraph(source, name,
                inputs.stream().filter(i -> reached.contains(i.name())).toList(),
                prunedOutputs,
                topological.stream().filter(needed::contains).toList(),
                initializers.values().stream().filter(t -> reached.contains(t.name())).toList());
    }

    /** The file the graph came from, for messages. */
    String source() {
        return source;
    }

    private record Need(String value, String by) {
    }

    /** Kahn's algorithm, always taking the earliest ready node so a file already in order keeps its order. */
    private List<OnnxNode> sortTopologically() throws ModelException {
        int n = nodes.size();
        int[] waiting = new int[n];
        List<List<Integer>> dependents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dependents.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Set<Integer> producers = new HashSet<>();
            for (String in : nodes.get(i).inputs()) {
                Integer p = producedAt.get(in);
                if (p != null) {
                    producers.add(p);
                }
            }
            waiting[i] = producers.size();
            for (int p : producers) {
                dependents.get(p).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<OnnxNode> order = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            for (int d : dependents.get(i)) {
                if (--waiting[d] == 0) {
                    ready.add(d);
                }
            }
        }
        if (order.size() < n) {
            int stuck = IntStream.range(0, n).filter(i -> waiting[i] > 0).findFirst().orElseThrow();
            throw new ModelException(source + ": " + (n - order.size()) + " nodes, the first " + nodes.get(stuck)
                    + ", depend on a cycle");
        }
        return List.copyOf(order);
    }
}
