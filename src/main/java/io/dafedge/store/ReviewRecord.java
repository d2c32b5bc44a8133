package io.dafedge.store;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * An operator's judgement of one inspection: the site's labelled set. It keeps its own copy of the inspected
 * picture and of the score, so the label outlives the retention limit that deletes the inspection's pictures and,
 * after 90 days, its record.
 */
@Entity
@Table(name = "review", indexes = @Index(name = "review_line_time", columnList = "line, reviewedAt"))
public class ReviewRecord extends PanacheEntityBase {
    /** The inspection's id (the result id). */
    @Id
    public UUID id;
    @Column(nullable = false)
    public String line;
    @Column(nullable = false)
    public String camera;
    /** What the part truly is, as the operator says. */
    @Column(nullable = false)
    public boolean defective;
    /** Whether the appliance's verdict was right; null when the verdict was UNKNOWN (no model yet). */
    public Boolean verdictCorrect;
    /** A good frame the operator chose for training; such frames are left out of evaluations. */
    public boolean trainingMaterial;
    /** The inspection's verdict, score, threshold and model, as they were. */
    @Column(nullable = false, length = 8)
    public String verdict;
    public Double score;
    public Double threshold;
    public String modelId;
    public Integer modelVersion;
    @Column(nullable = false)
    public Instant inspectedAt;
    @Column(nullable = false)
    public String reviewer;
    @Column(nullable = false)
    public Instant reviewedAt;
    /** The inspected picture (the inspection's thumbnail, PNG); null when it was no longer kept. */
    @Basic(fetch = FetchType.LAZY)
    @Column(length = 16 * 1024 * 1024)
    public byte[] image;
}
