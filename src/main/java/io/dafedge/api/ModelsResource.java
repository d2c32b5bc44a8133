package io.dafedge.api;

import java.util.List;

import io.dafedge.inspect.ModelPromotions;
import io.dafedge.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The model bundles the appliance knows, and which one each line inspects with: promote and roll back. */
@RolesAllowed(Role.ENGINEER_ROLE)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private final Engineering engineering;
    private final SecurityIdentity identity;

    ModelsResource(Engineering engineering, SecurityIdentity identity) {
        this.engineering = engineering;
        this.identity = identity;
    }

    /** @param threshold optional: the bundle's recorded threshold when left out */
    public record Promote(String line, Double threshold) {
    }

    @GET
    @Path("models")
    public List<Engineering.Model> models() {
        return engineering.models();
    }

    @POST
    @Path("models/{id}/promote")
    @Consumes(MediaType.APPLICATION_JSON)
    public Engineering.ActiveModel promote(@PathParam("id") String id, Promote body) {
        if (body == null || body.line() == null) {
            throw new ApiException(Response.Status.BAD_REQUEST, "give the line to promote the model on: "
                    + "{\"line\": \"...\", \"threshold\": optional number}");
        }
        return Refusals.answer(() -> engineering.promote(id, body.line(), body.threshold(), who()));
    }

    @POST
    @Path("lines/{line}/rollback")
    public Engineering.ActiveModel rollback(@PathParam("line") String line) {
        return Refusals.answer(() -> engineering.rollback(line, who()));
    }

    /** The line's promotions, newest first. */
    @GET
    @Path("lines/{line}/promotions")
    public List<ModelPromotions.Promotion> promotions(@PathParam("line") String line) {
        return Refusals.answer(() -> engineering.promotions(line));
    }

    private String who() {
        return identity.getPrincipal().getName();
    }
}
