package io.dafedge.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dafedge.train.SiteTraining;
import io.dafedge.train.TrainingRun;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The training runs in the database, so the page lists them after a restart (and shows interrupted ones aborted). */
@ApplicationScoped
public class TrainingRuns implements SiteTraining.Runs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<TrainingRun.Losses>> LOSSES = new TypeReference<>() {
    };

    @Override
    @Transactional
    public void save(TrainingRun run) {
        TrainingRunRecord found = TrainingRunRecord.findById(run.id());
        TrainingRunRecord r = found != null ? found : new TrainingRunRecord();
        r.id = run.id();
        r.line = run.line();
        r.strategy = run.strategy();
        r.minutes = run.minutes();
        r.threads = run.threads();
        r.startedBy = run.startedBy();
        r.state = run.state().name();
        r.createdAt = run.createdAt();
        r.startedAt = run.startedAt();
        r.finishedAt = run.finishedAt();
        r.fraction = run.fraction();
        r.epoch = run.epoch();
        r.etaSeconds = run.etaSeconds();
        r.message = run.message() == null || run.message().length() <= 2000 ? run.message()
                : run.message().substring(0, 1997) + "...";
        r.modelId = run.modelId();
        r.modelDir = run.modelDir();
        r.lossesJson = write(run.history());
        r.evaluationJson = run.evaluation() == null ? null : write(run.evaluation());
        if (found == null) {
            r.persist();
        }
    }

    @Override
    @Transactional
    public List<TrainingRun> all() {
        return TrainingRunRecord.<TrainingRunRecord>findAll(Sort.descending("createdAt", "id")).stream()
                .map(TrainingRuns::run).toList();
    }

    @Override
    @Transactional
    public Optional<TrainingRun> find(UUID id) {
        return TrainingRunRecord.<TrainingRunRecord>findByIdOptional(id).map(TrainingRuns::run);
    }

    private static TrainingRun run(TrainingRunRecord r) {
        List<TrainingRun.Losses> history = r.lossesJson == null ? List.of() : read(r.lossesJson, LOSSES);
        return new TrainingRun(r.id, r.line, r.strategy, r.minutes, r.threads, r.startedBy,
                TrainingRun.State.valueOf(r.state), r.createdAt, r.startedAt, r.finishedAt, r.fraction, r.epoch,
                r.etaSeconds, history.isEmpty() ? null : history.get(history.size() - 1), history, r.message,
                r.modelId, r.modelDir, r.evaluationJson == null ? null
                        : read(r.evaluationJson, new TypeReference<TrainingRun.Comparison>() {
                        }));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("training run not serialisable: " + e.getMessage(), e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored training run unreadable: " + e.getMessage(), e);
        }
    }
}
