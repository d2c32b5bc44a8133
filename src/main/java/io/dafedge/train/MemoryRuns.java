package io.dafedge.train;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Runs kept in this process only: for a process without the appliance's database (the pipeline bench). */
public final class MemoryRuns implements SiteTraining.Runs {
    private final Map<UUID, TrainingRun> runs = new ConcurrentHashMap<>();

    @Override
    public void save(TrainingRun run) {
        runs.put(run.id(), run);
    }

    @Override
    public List<TrainingRun> all() {
        return runs.values().stream().sorted(Comparator.comparing(TrainingRun::createdAt).reversed()).toList();
    }

    @Override
    public Optional<TrainingRun> find(UUID id) {
        return Optional.ofNullable(runs.get(id));
    }
}
