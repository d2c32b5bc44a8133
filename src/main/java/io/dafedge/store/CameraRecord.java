package io.dafedge.store;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A camera as last configured; kept so that history stays readable after a camera is removed from the config. */
@Entity
@Table(name = "camera")
public class CameraRecord extends PanacheEntityBase {
    @Id
    public String id;
    @Column(nullable = false)
    public String line;
    @Column(nullable = false)
    public String source;
    public Instant firstSeen;
    public Instant lastConfigured;
}
