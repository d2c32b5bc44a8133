package io.dafedge.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an engineer compares bundles by, read from the manifest: method, when it was made, the threshold and metrics
 * it records (present only when whoever made the bundle wrote them: {@code threshold}, a number, and
 * {@code metrics}, an object, at the manifest's top level) and the pruning scheme training applied
 * ({@code training.pruning}; none means dense).
 *
 * @param createdAt null when the manifest's {@code created_at} is missing or not a time
 * @param threshold null when the bundle records none
 * @param metrics   the manifest's {@code metrics} object as written, or null
 * @param pruning   null for a dense model
 */
public record ModelSummary(String id, String method, Instant createdAt, String dir, Double threshold,
        JsonNode metrics, Pruning pruning) {

    /**
     * @param layers layers pruned per scheme ({@code pattern}, {@code block}, ...)
     * @param sparsity share of zero weights in the pruned layers, as reached
     */
    public record Pruning(String mapper, Double targetSparsity, Double sparsity, Map<String, Integer> layers) {
        /** One line for a table, e.g. "rule: 8 pattern, 3 block layers; sparsity 0.71 (target 0.75)". */
        public String text() {
            int total = layers.values().stream().mapToInt(Integer::intValue).sum();
            StringBuilder s = new StringBuilder(mapper == null ? "pruned" : mapper).append(": ").append(
                    total == 0 ? "no layers" : layers.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                            .collect(Collectors.joining(", ")) + (total == 1 ? " layer" : " layers"));
            if (sparsity != null) {
                s.append("; sparsity ").append(sparsity);
            }
            if (targetSparsity != null) {
                s.append(" (target ").append(targetSparsity).append(')');
            }
            return s.toString();
        }
    }

    /** The metrics' numbers in one line, e.g. "image_auroc 0.981, pro 0.912"; empty when there are none. */
    public String metricsText() {
        if (metrics == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        metrics.fields().forEachRemaining(f -> {
            if (f.getValue().isNumber()) {
                double v = f.getValue().doubleValue();
                parts.add(f.getKey() + " " + (v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                        : String.format(Locale.ROOT, "%.3f", v)));
            }
        });
        return String.join(", ", parts);
    }

    public static ModelSummary of(ModelBundle bundle) {
        JsonNode m = bundle.manifest();
        JsonNode t = m.path("threshold");
        JsonNode metrics = m.path("metrics");
        return new ModelSummary(bundle.id(), bundle.method(), instant(m.path("created_at").asText(null)),
                bundle.dir().toAbsolutePath().normalize().toString(),
                t.isNumber() ? t.doubleValue() : null, metrics.isObject() ? metrics : null,
                pruning(m.path("training").path("pruning")));
    }

    private static Pruning pruning(JsonNode p) {
        if (!p.isObject()) {
            return null;
        }
        Map<String, Integer> layers = new TreeMap<>();
        for (JsonNode l : p.path("layers")) {
            String scheme = l.path("scheme").asText("");
            if (!scheme.isEmpty() && !"dense".equals(scheme)) {
                layers.merge(scheme, 1, Integer::sum);
            }
        }
        return new Pruning(p.path("mapper").asText(null), number(p.path("target_sparsity")),
                number(p.path("sparsity")), layers);
    }

    private static Double number(JsonNode n) {
        return n.isNumber() ? n.doubleValue() : null;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
