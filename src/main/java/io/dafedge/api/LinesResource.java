package io.dafedge.api;

import java.util.List;

import io.dafedge.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Lines and cameras with their state right now. */
@RolesAllowed(Role.OPERATOR_ROLE)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class LinesResource {
    private final LineSnapshots snapshots;

    LinesResource(LineSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    @GET
    @Path("lines")
    public List<LineSnapshots.Line> lines() {
        return snapshots.lines();
    }

    @GET
    @Path("cameras")
    public List<LineSnapshots.Camera> cameras() {
        return snapshots.cameras();
    }

    @GET
    @Path("cameras/{id}")
    public LineSnapshots.Camera camera(@PathParam("id") String id) {
        return snapshots.camera(id).orElseThrow(
                () -> new ApiException(Response.Status.NOT_FOUND, "no camera '" + id + "' is configured"));
    }
}
