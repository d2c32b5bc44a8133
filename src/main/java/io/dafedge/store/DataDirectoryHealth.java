package io.dafedge.store;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Not ready when the data folder's disk is (nearly) full: results could no longer be stored. */
@Readiness
@ApplicationScoped
public class DataDirectoryHealth implements HealthCheck {
    private final DataDirectory dir;

    DataDirectoryHealth(DataDirectory dir) {
        this.dir = dir;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("data-dir").withData("path", dir.root().toString());
        try {
            long free = dir.freeBytes();
            return b.withData("freeMb", free / (1024 * 1024)).withData("minFreeMb", dir.minFreeBytes() / (1024 * 1024))
                    .status(free >= dir.minFreeBytes()).build();
        } catch (IOException e) {
            return b.withData("error", e.getMessage()).down().build();
        }
    }
}
