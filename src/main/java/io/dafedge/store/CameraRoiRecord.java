package io.dafedge.store;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A camera's ROI as an engineer set it on the settings page; it overrides the configured one. */
@Entity
@Table(name = "camera_roi")
public class CameraRoiRecord extends PanacheEntityBase {
    @Id
    public String camera;
    @Column(nullable = false)
    public int x;
    @Column(nullable = false)
    public int y;
    @Column(nullable = false)
    public int width;
    @Column(nullable = false)
    public int height;
    @Column(nullable = false)
    public String changedBy;
    @Column(nullable = false)
    public Instant changedAt;
}
