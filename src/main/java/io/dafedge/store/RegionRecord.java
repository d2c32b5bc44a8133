package io.dafedge.store;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A defect region of an inspection, in original frame pixels; rank 0 has the highest score. */
@Entity
@Table(name = "region")
public class RegionRecord extends PanacheEntity {
    @ManyToOne(optional = false)
    @JoinColumn(name = "inspection_id")
    public InspectionRecord inspection;
    public int rank;
    public int x;
    public int y;
    public int width;
    public int height;
    public long area;
    public double maxScore;
    public double meanScore;
}
