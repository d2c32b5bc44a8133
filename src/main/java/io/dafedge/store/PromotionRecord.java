package io.dafedge.store;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/** A model an engineer promoted on a line, what the line had before, and whether it was rolled back. */
@Entity
@Table(name = "promotion", indexes = @Index(name = "promotion_line_time", columnList = "line, promotedAt"))
public class PromotionRecord extends PanacheEntity {
    @Column(nullable = false)
    public String line;
    @Column(nullable = false)
    public String modelId;
    /** The bundle's folder. */
    @Column(nullable = false, length = 4096)
    public String bundlePath;
    @Column(nullable = false)
    public double threshold;
    @Column(nullable = false)
    public String promotedBy;
    @Column(nullable = false)
    public Instant promotedAt;
    /** The line's model before; null when it had none. */
    public String previousModelId;
    @Column(length = 4096)
    public String previousBundlePath;
    public Double previousThreshold;
    /** Null while the promotion stands. */
    public String rolledBackBy;
    public Instant rolledBackAt;
}
