package io.dafedge.api;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Instant;

import io.dafedge.Version;
import io.dafedge.store.DataDirectory;
import io.dafedge.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the start page shows: version, process uptime and the data folder. */
@RolesAllowed(Role.OPERATOR_ROLE)
@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    private final DataDirectory dataDir;

    StatusResource(DataDirectory dataDir) {
        this.dataDir = dataDir;
    }

    public record Status(String version, Instant startedAt, long uptimeSeconds, String dataDir, long dataDirFreeMb) {
    }

    @GET
    public Status status() throws IOException {
        var runtime = ManagementFactory.getRuntimeMXBean();
        return new Status(Version.get(), Instant.ofEpochMilli(runtime.getStartTime()),
                runtime.getUptime() / 1000, dataDir.root().toString(), dataDir.freeBytes() / (1024 * 1024));
    }
}
