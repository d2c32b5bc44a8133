package io.dafedge.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.dafedge.train.TrainingMaterial;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The operators' reviews: the site's labelled set. A good frame marked as training material is also written to
 * its line's {@code collected/} folder, where training runs take their good frames from.
 */
@ApplicationScoped
public class Reviews {
    private final DataDirectory dataDir;

    Reviews(DataDirectory dataDir) {
        this.dataDir = dataDir;
    }

    /** A review without its picture. */
    public record Labelled(UUID id, String line, String camera, boolean defective, Boolean verdictCorrect,
            boolean trainingMaterial, String verdict, Double score, Double threshold, String modelId,
            Integer modelVersion, Instant inspectedAt, String reviewer, Instant reviewedAt, boolean hasImage) {
        static Labelled of(ReviewRecord r, boolean hasImage) {
            return new Labelled(r.id, r.line, r.camera, r.defective, r.verdictCorrect, r.trainingMaterial, r.verdict,
                    r.score, r.threshold, r.modelId, r.modelVersion, r.inspectedAt, r.reviewer, r.reviewedAt,
                    hasImage);
        }
    }

    /** A reviewed picture and its label, for evaluations. */
    public record LabelledImage(UUID id, boolean defective, byte[] png) {
    }

    /**
     * Records (or changes) the judgement of one inspection.
     *
     * @param defective        what the part truly is
     * @param trainingMaterial keep the frame for training (a good frame with its picture only)
     * @throws IllegalArgumentException for an unknown inspection, or training material that cannot be
     */
    // a training frame that cannot be written leaves no review claiming it (checked exceptions commit by default)
    @Transactional(rollbackOn = IOException.class)
    public Labelled review(UUID id, boolean defective, boolean trainingMaterial, String reviewer) throws IOException {
        InspectionRecord i = InspectionRecord.<InspectionRecord>findByIdOptional(id)
                .orElseThrow(() -> new IllegalArgumentException("no inspection " + id));
        ReviewRecord r = ReviewRecord.findById(id);
        if (r == null) {
            r = new ReviewRecord();
            r.id = id;
            ImageRecord img = i.hasImages ? ImageRecord.findById(id) : null;
            r.image = img == null ? null : img.thumbnail;
        }
        if (trainingMaterial && defective) {
            throw new IllegalArgumentException("only good frames are training material: the detector learns from "
                    + "defect-free frames");
        }
        if (trainingMaterial && r.image == null) {
            throw new IllegalArgumentException("inspection " + id + " has no picture kept, so it cannot be training "
                    + "material");
        }
        r.line = i.line;
        r.camera = i.camera;
        r.defective = defective;
        r.verdictCorrect = "UNKNOWN".equals(i.verdict) ? null : defective == "NOK".equals(i.verdict);
        r.trainingMaterial = trainingMaterial;
        r.verdict = i.verdict;
        r.score = i.score;
        r.threshold = i.threshold;
        r.modelId = i.modelId;
        r.modelVersion = i.modelVersion;
        r.inspectedAt = i.inspectedAt;
        r.reviewer = reviewer;
        r.reviewedAt = Instant.now();
        r.persist();
        Path file = trainingFile(r.line, id);
        if (trainingMaterial) {
            // whole or not at all: a half-written picture (a full disk) would be a corrupt training frame
            Files.createDirectories(file.getParent());
            Path part = file.resolveSibling("." + file.getFileName() + ".part");
            try {
                Files.write(part, r.image);
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
        } else {
            Files.deleteIfExists(file);
        }
        return Labelled.of(r, r.image != null);
    }

    @Transactional
    public Optional<Labelled> find(UUID id) {
        return ReviewRecord.<ReviewRecord>findByIdOptional(id).map(r -> Labelled.of(r, r.image != null));
    }

    /** The line's reviews, newest first (null line: all lines). */
    @Transactional
    public List<Labelled> list(String line, int page, int size) {
        Sort newest = Sort.descending("reviewedAt", "id");
        PanacheQuery<ReviewRecord> q = line == null ? ReviewRecord.findAll(newest)
                : ReviewRecord.find("line", newest, line);
        // the picture column is lazy: listing never reads it, hasImage is asked of the database
        List<ReviewRecord> items = q.page(Page.of(page, size)).list();
        List<UUID> withImage = items.isEmpty() ? List.of() : ReviewRecord.getEntityManager()
                .createQuery("select r.id from ReviewRecord r where r.id in :ids and r.image is not null", UUID.class)
                .setParameter("ids", items.stream().map(r -> r.id).toList()).getResultList();
        return items.stream().map(r -> Labelled.of(r, withImage.contains(r.id))).toList();
    }

    /** Every review of the line, without pictures (threshold previews and suggestions run on these). */
    @Transactional
    public List<Labelled> all(String line) {
        return list(line, 0, Integer.MAX_VALUE);
    }

    /** The line's reviewed pictures that are not training material: what a model is evaluated on. */
    @Transactional
    public List<LabelledImage> evaluationSet(String line) {
        return ReviewRecord.<ReviewRecord>find("line = ?1 and trainingMaterial = false and image is not null",
                Sort.ascending("reviewedAt", "id"), line).stream()
                .map(r -> new LabelledImage(r.id, r.defective, r.image)).toList();
    }

    /** The unreviewed inspections with pictures, newest first: what the review page offers. */
    @Transactional
    public List<InspectionRecord> toReview(String line, int limit) {
        String where = "hasImages = true and id not in (select r.id from ReviewRecord r)"
                + (line == null ? "" : " and line = ?1");
        PanacheQuery<InspectionRecord> q = line == null
                ? InspectionRecord.find(where, Sort.descending("inspectedAt", "id"))
                : InspectionRecord.find(where, Sort.descending("inspectedAt", "id"), line);
        return q.page(Page.of(0, limit)).list();
    }

    /** Where a training-material frame of the line is kept. */
    public Path trainingFile(String line, UUID id) {
        return TrainingMaterial.folder(dataDir.root().resolve("lines"), line).resolve("review-" + id + ".png");
    }
}
