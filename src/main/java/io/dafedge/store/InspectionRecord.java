package io.dafedge.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

/** One inspected frame, keyed by the result id it was given on arrival (the id on the MQTT result too). */
@Entity
@Table(name = "inspection", indexes = {
        @Index(name = "inspection_time", columnList = "inspectedAt"),
        @Index(name = "inspection_line_time", columnList = "line, inspectedAt"),
        @Index(name = "inspection_camera_time", columnList = "camera, inspectedAt")})
public class InspectionRecord extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(nullable = false)
    public String line;
    @Column(nullable = false)
    public String camera;
    public String partId;
    /** The inspection this one repeated on the same picture (an MES's reinspect command); null for most. */
    public UUID reinspectionOf;
    @Column(nullable = false)
    public Instant capturedAt;
    @Column(nullable = false)
    public Instant inspectedAt;
    /** OK, NOK or UNKNOWN (no model for the line yet). */
    @Column(nullable = false, length = 8)
    public String verdict;
    /** Null for UNKNOWN. */
    public Double score;
    public Double threshold;
    public String modelId;
    public Integer modelVersion;
    /** Regions beyond the ones kept (the largest scores are kept). */
    public int regionsOmitted;
    public double preprocessMs;
    public double detectMs;
    public double postprocessMs;
    /** Whether a thumbnail and heat map are kept (NOK always, OK when configured, until retention removes them). */
    public boolean hasImages;

    @OneToMany(mappedBy = "inspection", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("rank")
    public List<RegionRecord> regions = new ArrayList<>();
}
