package io.dafedge;

import java.util.List;
import java.util.Optional;

import io.dafedge.inspect.LineModel;
import io.dafedge.model.ModelBundle;
import io.dafedge.store.DataDirectory;
import io.dafedge.store.Reviews;
import io.dafedge.store.TrainingRuns;
import io.dafedge.train.SiteTraining;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * The appliance's on-site training: a {@link SiteTraining} over the data folder, the lines the appliance inspects,
 * their reviews and active models, with runs kept in the database. Starts after the appliance (it asks it for its
 * lines), which is when runs an earlier process left unfinished are marked aborted.
 */
@ApplicationScoped
public class TrainingBean {
    /** The shortest budget a run may have; below it a run would be all feature caching. */
    static final double MIN_MINUTES = 1;

    private final DafConfig config;
    private final DataDirectory dataDir;
    private final ApplianceBean appliance;
    private final Reviews reviews;
    private final TrainingRuns runs;
    private volatile SiteTraining training;

    TrainingBean(DafConfig config, DataDirectory dataDir, ApplianceBean appliance, Reviews reviews,
            TrainingRuns runs) {
        this.config = config;
        this.dataDir = dataDir;
        this.appliance = appliance;
        this.reviews = reviews;
        this.runs = runs;
    }

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        DafConfig.Training t = config.training();
        training = new SiteTraining(dataDir.root(), config.teacher(), new SiteTraining.Limits(t.threads(), t.size(),
                t.minImages(), MIN_MINUTES, t.maxMinutes()), new Site(), runs);
    }

    void stop(@Observes @Priority(Interceptor.Priority.APPLICATION + 400) ShutdownEvent event) {
        if (training != null) {
            training.close();
        }
    }

    public SiteTraining training() {
        return training;
    }

    /** The lines a run may train for. */
    public List<String> lines() {
        return appliance.appliance().lines();
    }

    private final class Site implements SiteTraining.Site {
        @Override
        public List<String> lines() {
            return TrainingBean.this.lines();
        }

        @Override
        public List<SiteTraining.Reviewed> evaluationSet(String line) {
            return reviews.evaluationSet(line).stream()
                    .map(r -> new SiteTraining.Reviewed(r.defective(), r.png())).toList();
        }

        /** The bundle the line inspects with and the threshold it judges with now, when they belong together. */
        @Override
        public Optional<SiteTraining.Active> active(String line) {
            Optional<ModelBundle> bundle = appliance.lineSetup().activeBundle(line);
            Optional<LineModel> model = appliance.appliance().models().current(line);
            if (bundle.isEmpty() || model.isEmpty() || !model.get().modelId().equals(bundle.get().id())) {
                return Optional.empty();
            }
            return Optional.of(new SiteTraining.Active(bundle.get(), model.get().threshold()));
        }
    }
}
