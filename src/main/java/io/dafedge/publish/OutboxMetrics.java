package io.dafedge.publish;

import io.dafedge.inspect.Verdict;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The outbox's state and drops where Prometheus sees them ({@code daf_outbox_*}, docs/mqtt.md). */
public final class OutboxMetrics {
    private OutboxMetrics() {
    }

    public static void register(MeterRegistry registry, Outbox outbox) {
        Gauge.builder("daf.outbox.pending", outbox, Outbox::pending)
                .description("results on disk waiting for the broker's acknowledgement").register(registry);
        Gauge.builder("daf.outbox.bytes", outbox, Outbox::bytes).baseUnit("bytes")
                .description("disk the outbox takes").register(registry);
        Gauge.builder("daf.outbox.queued", outbox, Outbox::queued)
                .description("results waiting for the outbox's writer").register(registry);
        FunctionCounter.builder("daf.outbox.written", outbox, Outbox::written)
                .description("results written to the outbox on disk").register(registry);
        FunctionCounter.builder("daf.outbox.delivered", outbox, Outbox::delivered)
                .description("results the broker acknowledged").register(registry);
        for (Outbox.Drop reason : Outbox.Drop.values()) {
            for (Verdict verdict : Verdict.values()) {
                FunctionCounter.builder("daf.outbox.dropped", outbox, o -> o.dropped(reason, verdict))
                        .description("results (heatmap-quota: heat maps only) the outbox gave up, by reason")
                        .tags("reason", reason.label, "verdict", verdict.name()).register(registry);
            }
        }
    }
}
