package io.dafedge.store;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A production line and what the appliance decided for it: its active model and threshold. */
@Entity
@Table(name = "line")
public class LineRecord extends PanacheEntityBase {
    @Id
    public String id;
    /** Folder of the active model bundle; null while the line is collecting good frames. */
    public String modelPath;
    public String modelId;
    /** Counts the models this line has had, so results say which one judged them. */
    public Integer modelVersion;
    public Double threshold;
    public Instant updatedAt;
}
