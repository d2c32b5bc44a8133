package io.dafedge.api;

import java.util.List;
import java.util.UUID;

import io.dafedge.TrainingBean;
import io.dafedge.security.Role;
import io.dafedge.train.SiteTraining;
import io.dafedge.train.TrainingRun;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * On-site training runs: start one on a line's collected frames, follow it, cancel it. A finished run's model is
 * only ever promoted by an engineer (the models API), never by the run.
 */
@RolesAllowed(Role.ENGINEER_ROLE)
@Path("/api/v1/training")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingResource {
    private final TrainingBean training;

    TrainingResource(TrainingBean training) {
        this.training = training;
    }

    /** A run's request: the line, the synthetic defect strategy (or mix), the wall-clock budget in minutes. */
    public record Start(String line, String strategy, Double minutes) {
    }

    /** Starts a run in the background: 202 with the queued run; GET /api/v1/training/{id} follows it. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(Start body, @Context SecurityContext who) {
        if (body == null || body.line() == null || body.strategy() == null || body.minutes() == null) {
            throw new ApiException(Response.Status.BAD_REQUEST, "send JSON {\"line\": ..., \"strategy\": ..., "
                    + "\"minutes\": ...}; strategies: " + String.join(", ", SiteTraining.strategies()));
        }
        TrainingRun run = Refusals.answer(() -> training.training().start(body.line(), body.strategy(), body.minutes(),
                who.getUserPrincipal().getName()));
        return Response.accepted(run).build();
    }

    /** Every run, newest first. */
    @GET
    public List<TrainingRun> list() {
        return training.training().list();
    }

    @GET
    @Path("{id}")
    public TrainingRun run(@PathParam("id") String id) {
        UUID uuid = id(id);
        return training.training().find(uuid).orElseThrow(
                () -> new ApiException(Response.Status.NOT_FOUND, "no training run " + id));
    }

    /** Asks the run to stop; it turns CANCELLED within a training step, its bundle deleted. */
    @POST
    @Path("{id}/cancel")
    public TrainingRun cancel(@PathParam("id") String id, @Context SecurityContext who) {
        UUID uuid = id(id);
        return Refusals.answer(() -> training.training().cancel(uuid, who.getUserPrincipal().getName()));
    }

    private static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(Response.Status.NOT_FOUND, "no training run " + id + " (run ids are UUIDs)");
        }
    }
}
