package io.dafedge.store;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/** An on-site training run (io.dafedge.train.TrainingRun) as stored; the loss history and evaluation as JSON. */
@Entity
@Table(name = "training_run", indexes = @Index(name = "training_run_created", columnList = "createdAt"))
public class TrainingRunRecord extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(nullable = false)
    public String line;
    @Column(nullable = false, length = 500)
    public String strategy;
    public double minutes;
    public int threads;
    @Column(nullable = false)
    public String startedBy;
    @Column(nullable = false, length = 16)
    public String state;
    @Column(nullable = false)
    public Instant createdAt;
    public Instant startedAt;
    public Instant finishedAt;
    public double fraction;
    public Integer epoch;
    public Double etaSeconds;
    @Column(length = 2000)
    public String message;
    public String modelId;
    @Column(length = 1000)
    public String modelDir;
    /** The loss reports, oldest first (at most SiteTraining.MAX_HISTORY), the latest last. */
    @Column(length = 200_000)
    public String lossesJson;
    @Column(length = 20_000)
    public String evaluationJson;
}
