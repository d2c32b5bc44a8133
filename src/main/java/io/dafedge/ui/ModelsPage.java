package io.dafedge.ui;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NoSuchElementException;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.dafedge.api.ApiException;
import io.dafedge.api.Engineering;
import io.dafedge.api.Refusals;
import io.dafedge.inspect.ModelPromotions;
import io.dafedge.security.Role;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The models page: every bundle with its metrics and scheme, the model per line, promote and roll back. */
@RolesAllowed(Role.ENGINEER_ROLE)
@Path("/ui/models")
@Produces(MediaType.TEXT_HTML)
public class ModelsPage {
    private final Template models;
    private final Engineering engineering;
    private final SecurityIdentity identity;

    ModelsPage(Template models, Engineering engineering, SecurityIdentity identity) {
        this.models = models;
        this.engineering = engineering;
        this.identity = identity;
    }

    /** A line, its model now, and the promotion a rollback would take back (null: none). */
    public record LineRow(Engineering.ActiveModel active, ModelPromotions.Promotion standing) {
    }

    @GET
    public TemplateInstance page(@RestQuery String notice) {
        return page(notice, null, null, null);
    }

    @POST
    @Path("{id}/promote")
    public Response promote(@PathParam("id") String id, @RestForm String line, @RestForm String threshold) {
        try {
            Engineering.ActiveModel now = engineering.promote(id, line, Refusals.number("threshold", threshold),
                    who());
            return done("Model " + now.modelId() + " (version " + now.modelVersion() + ") inspects on line "
                    + now.line() + " with threshold " + now.threshold() + ".");
        } catch (NoSuchElementException | IllegalArgumentException | IllegalStateException e) {
            return refused(Refusals.status(e), e.getMessage(), id, threshold);
        } catch (ApiException e) {
            return refused(Response.Status.BAD_REQUEST, e.getMessage(), id, threshold);
        }
    }

    @POST
    @Path("lines/{line}/rollback")
    public Response rollback(@PathParam("line") String line) {
        try {
            Engineering.ActiveModel now = engineering.rollback(line, who());
            return done("Line " + line + " is back on model " + now.modelId() + " with threshold "
                    + now.threshold() + ".");
        } catch (NoSuchElementException | IllegalArgumentException | IllegalStateException e) {
            return refused(Refusals.status(e), e.getMessage(), null, null);
        }
    }

    private TemplateInstance page(String notice, String error, String failedModel, String failedThreshold) {
        List<LineRow> lines = engineering.lines().stream().map(l -> new LineRow(l, engineering.promotions(l.line())
                .stream().filter(p -> p.rolledBackBy() == null).findFirst().orElse(null))).toList();
        return models.data("models", engineering.models()).data("lines", lines).data("notice", notice)
                .data("error", error).data("failedModel", failedModel).data("failedThreshold", failedThreshold);
    }

    // POST, then GET: a reload does not promote twice
    private static Response done(String notice) {
        return Response.seeOther(URI.create("/ui/models?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8)))
                .build();
    }

    private Response refused(Response.Status status, String message, String model, String threshold) {
        return Response.status(status).entity(page(null, message, model, threshold)).build();
    }

    private String who() {
        return identity.getPrincipal().getName();
    }
}
