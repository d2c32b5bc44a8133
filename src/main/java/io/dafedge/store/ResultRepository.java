package io.dafedge.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.dafedge.DafConfig;
import io.dafedge.inspect.DefectRegion;
import io.dafedge.inspect.InspectionResult;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Inspections in the database: stored in batches, listed newest first, their pictures kept within retention. */
@ApplicationScoped
public class ResultRepository {
    private final int maxImages;
    private final int retentionDays;

    ResultRepository(DafConfig config) {
        this.maxImages = config.store().maxImages();
        this.retentionDays = config.store().retentionDays();
    }

    /** One transaction for the batch: all stored, or none. */
    @Transactional
    public void saveAll(List<InspectionResult> batch) {
        for (InspectionResult r : batch) {
            InspectionRecord i = new InspectionRecord();
            i.id = r.resultId();
            i.line = r.line();
            i.camera = r.camera();
            i.partId = r.partId();
            i.reinspectionOf = r.reinspectionOf();
            i.capturedAt = r.capturedAt();
            i.inspectedAt = r.inspectedAt();
            i.verdict = r.verdict().name();
            i.score = r.score() == null ? null : r.score().doubleValue();
            i.threshold = r.threshold() == null ? null : r.threshold().doubleValue();
            i.modelId = r.modelId();
            i.modelVersion = r.modelVersion();
            i.regionsOmitted = r.omittedRegions();
            i.preprocessMs = r.preprocessMs();
            i.detectMs = r.detectMs();
            i.postprocessMs = r.postprocessMs();
            int rank = 0;
            for (DefectRegion d : r.regions()) {
                RegionRecord g = new RegionRecord();
                g.inspection = i;
                g.rank = rank++;
                g.x = d.box().x();
                g.y = d.box().y();
                g.width = d.box().width();
                g.height = d.box().height();
                g.area = d.pixels();
                g.maxScore = d.maxScore();
                g.meanScore = d.meanScore();
                i.regions.add(g);
            }
            // the inspector made a thumbnail only for the frames whose pictures are kept
            i.hasImages = r.thumbnailPng() != null;
            i.persist();
            if (i.hasImages) {
                ImageRecord img = new ImageRecord();
                img.id = i.id;
                img.inspectedAt = i.inspectedAt;
                img.thumbnail = r.thumbnailPng();
                img.heatmap = r.overlayPng() != null ? r.overlayPng() : r.thumbnailPng();
                img.persist();
            }
        }
    }

    /** What the inspections list may be filtered by; null fields do not filter. */
    public record Filter(String line, String camera, String verdict, Instant from, Instant to) {
    }

    public record PageOf<T>(List<T> items, int page, int size, long total) {
    }

    @Transactional
    public PageOf<InspectionRecord> list(Filter f, int page, int size) {
        List<String> where = new ArrayList<>();
        Parameters p = new Parameters();
        if (f.line() != null) {
            where.add("line = :line");
            p.and("line", f.line());
        }
        if (f.camera() != null) {
            where.add("camera = :camera");
            p.and("camera", f.camera());
        }
        if (f.verdict() != null) {
            where.add("verdict = :verdict");
            p.and("verdict", f.verdict());
        }
        if (f.from() != null) {
            where.add("inspectedAt >= :from");
            p.and("from", f.from());
        }
        if (f.to() != null) {
            where.add("inspectedAt < :to");
            p.and("to", f.to());
        }
        Sort newest = Sort.descending("inspectedAt", "id");
        Map<String, Object> params = p.map();
        PanacheQuery<InspectionRecord> q = where.isEmpty() ? InspectionRecord.findAll(newest)
                : InspectionRecord.find(String.join(" and ", where), newest, params);
        List<InspectionRecord> items = q.page(Page.of(page, size)).list();
        items.forEach(i -> i.regions.size()); // load the regions inside the transaction
        return new PageOf<>(items, page, size, q.count());
    }

    @Transactional
    public Optional<InspectionRecord> find(UUID id) {
        Optional<InspectionRecord> i = InspectionRecord.findByIdOptional(id);
        i.ifPresent(r -> r.regions.size());
        return i;
    }

    /** Which picture of an inspection. */
    public enum Picture { THUMBNAIL, HEATMAP }

    /** The picture's PNG bytes, read inside the transaction (they are loaded lazily). */
    @Transactional
    public Optional<byte[]> picture(UUID id, Picture which) {
        return ImageRecord.<ImageRecord>findByIdOptional(id)
                .map(r -> which == Picture.THUMBNAIL ? r.thumbnail : r.heatmap);
    }

    /**
     * Deletes pictures beyond the newest {@code maxImages} and records older than the retention period; returns
     * how many rows went.
     */
    @Transactional
    public long applyRetention(Instant now) {
        long removed = 0;
        List<InspectionRecord> keepFrom = InspectionRecord.find("hasImages = true", Sort.descending("inspectedAt"))
                .page(Page.of(maxImages, 1)).list();
        if (!keepFrom.isEmpty()) {
            Instant cutoff = keepFrom.get(0).inspectedAt;
            removed += ImageRecord.delete("inspectedAt <= ?1", cutoff);
            InspectionRecord.update("hasImages = false where hasImages = true and inspectedAt <= ?1", cutoff);
        }
        Instant old = now.minus(retentionDays, ChronoUnit.DAYS);
        removed += ImageRecord.delete("inspectedAt < ?1", old);
        removed += RegionRecord.delete("inspection.id in (select i.id from InspectionRecord i where i.inspectedAt < ?1)", old);
        removed += InspectionRecord.delete("inspectedAt < ?1", old);
        return removed;
    }
}
