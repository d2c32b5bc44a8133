package io.dafedge.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.dafedge.inspect.ModelPromotions;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The promotions of models on lines, in the database. */
@ApplicationScoped
public class PromotionHistory implements ModelPromotions.History {
    private static final Sort NEWEST = Sort.descending("promotedAt", "id");

    @Override
    @Transactional
    public ModelPromotions.Promotion add(ModelPromotions.Promotion p) {
        PromotionRecord r = new PromotionRecord();
        r.line = p.line();
        r.modelId = p.modelId();
        r.bundlePath = p.bundle().toString();
        r.threshold = p.threshold();
        r.promotedBy = p.promotedBy();
        r.promotedAt = p.promotedAt();
        r.previousModelId = p.previousModelId();
        r.previousBundlePath = p.previousBundle() == null ? null : p.previousBundle().toString();
        r.previousThreshold = p.previousThreshold() == null ? null : p.previousThreshold().doubleValue();
        r.persist();
        return of(r);
    }

    @Override
    @Transactional
    public Optional<ModelPromotions.Promotion> lastStanding(String line) {
        return PromotionRecord.<PromotionRecord>find("line = ?1 and rolledBackAt is null", NEWEST, line)
                .firstResultOptional().map(PromotionHistory::of);
    }

    @Override
    @Transactional
    public void rolledBack(long id, String by, Instant at) {
        PromotionRecord r = PromotionRecord.findById(id);
        r.rolledBackBy = by;
        r.rolledBackAt = at;
    }

    @Override
    @Transactional
    public List<ModelPromotions.Promotion> list(String line, int limit) {
        return PromotionRecord.<PromotionRecord>find("line", NEWEST, line).page(Page.ofSize(limit)).list().stream()
                .map(PromotionHistory::of).toList();
    }

    private static ModelPromotions.Promotion of(PromotionRecord r) {
        return new ModelPromotions.Promotion(r.id, r.line, r.modelId, Path.of(r.bundlePath), (float) r.threshold,
                r.promotedBy, r.promotedAt, r.previousModelId,
                r.previousBundlePath == null ? null : Path.of(r.previousBundlePath),
                r.previousThreshold == null ? null : r.previousThreshold.floatValue(), r.rolledBackBy,
                r.rolledBackAt);
    }
}
