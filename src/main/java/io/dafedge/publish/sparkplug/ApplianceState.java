package io.dafedge.publish.sparkplug;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.inspect.Appliance;
import io.dafedge.inspect.LineModel;
import io.dafedge.inspect.Verdict;
import io.dafedge.publish.Outbox;

/**
 * What the appliance's Sparkplug births and counters report. The configured cameras are known from the start, so a
 * connection made before the cameras run still births every device; their counters and models read as zero and
 * none until then.
 */
public final class ApplianceState implements SparkplugNode.State {
    private final List<CameraSettings> cameras;
    private final Supplier<Appliance> appliance;
    private final Supplier<Outbox> outbox;

    /** {@code appliance} and {@code outbox} give null until they exist. */
    public ApplianceState(List<CameraSettings> cameras, Supplier<Appliance> appliance, Supplier<Outbox> outbox) {
        this.cameras = List.copyOf(cameras);
        this.appliance = appliance;
        this.outbox = outbox;
    }

    @Override
    public List<SparkplugNode.Camera> cameras() {
        Appliance a = appliance.get();
        List<SparkplugNode.Camera> out = new ArrayList<>();
        for (CameraSettings s : cameras) {
            Optional<Appliance.Camera> c = a == null ? Optional.empty() : a.camera(s.id());
            Optional<LineModel> m = a == null ? Optional.empty() : a.models().current(s.line());
            out.add(new SparkplugNode.Camera(s.id(), s.line(), m.map(LineModel::modelId).orElse(null),
                    m.map(LineModel::modelVersion).orElse(null), m.map(LineModel::threshold).orElse(null),
                    c.map(x -> x.worker().inspected()).orElse(0L), c.map(x -> x.worker().nok()).orElse(0L),
                    c.map(x -> x.queue().dropped()).orElse(0L), c.map(x -> x.worker().failed()).orElse(0L)));
        }
        return out;
    }

    @Override
    public Map<String, Long> nodeCounters() {
        Outbox o = outbox.get();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("Outbox/Pending", o == null ? 0L : o.pending());
        m.put("Outbox/Delivered", o == null ? 0L : o.delivered());
        long results = 0;
        long heatmaps = 0;
        if (o != null) {
            for (Outbox.Drop d : Outbox.Drop.values()) {
                for (Verdict v : Verdict.values()) {
                    if (d == Outbox.Drop.HEATMAP_QUOTA) {
                        heatmaps += o.dropped(d, v); // the result itself was kept
                    } else {
                        results += o.dropped(d, v);
                    }
                }
            }
        }
        m.put("Outbox/Dropped", results);
        m.put("Outbox/HeatMapsDropped", heatmaps);
        return m;
    }
}
