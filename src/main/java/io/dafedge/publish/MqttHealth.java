package io.dafedge.publish;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.dafedge.ApplianceBean;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Not ready while the broker is unreachable: results still get inspected and stored, but the MES does not hear of
 * them until it is back, which whoever watches the appliance should see.
 */
@Readiness
@ApplicationScoped
public class MqttHealth implements HealthCheck {
    private final ApplianceBean appliance;

    MqttHealth(ApplianceBean appliance) {
        this.appliance = appliance;
    }

    @Override
    public HealthCheckResponse call() {
        MqttPublisher mqtt = appliance.mqtt();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("mqtt");
        if (mqtt == null) {
            return b.down().withData("error", "not started").build();
        }
        b.withData("published", mqtt.published()).withData("failed", mqtt.failed());
        if (mqtt.lastError() != null) {
            b.withData("lastError", mqtt.lastError());
        }
        return b.status(mqtt.connected()).build();
    }
}
