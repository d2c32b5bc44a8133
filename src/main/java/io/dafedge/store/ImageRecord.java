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
 * The pictures of an inspection, kept apart from it so that listing inspections never loads image bytes and the
 * retention limit can delete pictures while keeping the inspection's record.
 */
@Entity
@Table(name = "inspection_image", indexes = @Index(name = "image_time", columnList = "inspectedAt"))
public class ImageRecord extends PanacheEntityBase {
    /**
     * Column size of a picture. Plain binary columns rather than LOBs: on PostgreSQL a LOB is a large object that
     * outlives its row when the retention limit deletes it, a bytea goes with it.
     */
    private static final int MAX_PNG_BYTES = 16 * 1024 * 1024;
    /** The inspection's id. */
    @Id
    public UUID id;
    @Column(nullable = false)
    public Instant inspectedAt;
    /** The inspected image, downscaled, PNG. */
    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false, length = MAX_PNG_BYTES)
    public byte[] thumbnail;
    /** The heat map over the inspected image with the region boxes, PNG. */
    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false, length = MAX_PNG_BYTES)
    public byte[] heatmap;
}
