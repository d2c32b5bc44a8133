package io.dafedge.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import io.dafedge.inspect.LineSetup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The model and threshold the appliance last used per line, so a restart resumes them. */
@ApplicationScoped
public class LineRepository implements LineSetup.Memory {
    @Override
    @Transactional
    public Optional<LineSetup.Saved> load(String line) {
        return LineRecord.<LineRecord>findByIdOptional(line)
                .filter(r -> r.modelPath != null && r.modelId != null && r.modelVersion != null)
                .map(r -> new LineSetup.Saved(Path.of(r.modelPath), r.modelId, r.modelVersion,
                        r.threshold == null ? null : r.threshold.floatValue()));
    }

    @Override
    @Transactional
    public void save(String line, LineSetup.Saved saved) {
        LineRecord r = LineRecord.<LineRecord>findByIdOptional(line).orElseGet(() -> {
            LineRecord n = new LineRecord();
            n.id = line;
            n.persist();
            return n;
        });
        r.modelPath = saved.model().toString();
        r.modelId = saved.modelId();
        r.modelVersion = saved.version();
        r.threshold = saved.threshold() == null ? null : saved.threshold().doubleValue();
        r.updatedAt = Instant.now();
    }

    /** Records the configured cameras, so history stays readable after one is removed from the configuration. */
    @Transactional
    public void cameraConfigured(String id, String line, String source) {
        Instant now = Instant.now();
        CameraRecord c = CameraRecord.<CameraRecord>findByIdOptional(id).orElse(null);
        if (c == null) {
            c = new CameraRecord();
            c.id = id;
            c.firstSeen = now;
            fill(c, line, source, now);
            c.persist();
        } else {
            fill(c, line, source, now);
        }
    }

    private static void fill(CameraRecord c, String line, String source, Instant now) {
        c.line = line;
        c.source = source;
        c.lastConfigured = now;
    }
}
