package io.dafedge.api;

import io.dafedge.inspect.CameraRois;
import io.dafedge.inspect.ThresholdAdvice;
import io.dafedge.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** A line's threshold (with a preview on the reviewed frames and a suggestion) and a camera's ROI. */
@RolesAllowed(Role.ENGINEER_ROLE)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class SettingsResource {
    private final Engineering engineering;
    private final SecurityIdentity identity;

    SettingsResource(Engineering engineering, SecurityIdentity identity) {
        this.engineering = engineering;
        this.identity = identity;
    }

    public record Threshold(Double threshold) {
    }

    /** In the frame's pixels, before the camera's rotation. */
    public record Roi(Integer x, Integer y, Integer width, Integer height) {
    }

    @PUT
    @Path("lines/{line}/threshold")
    @Consumes(MediaType.APPLICATION_JSON)
    public Engineering.ActiveModel threshold(@PathParam("line") String line, Threshold body) {
        return Refusals.answer(() -> engineering.setThreshold(line, body == null ? null : body.threshold()));
    }

    @GET
    @Path("lines/{line}/threshold-preview")
    public ThresholdAdvice.Preview preview(@PathParam("line") String line, @QueryParam("threshold") String threshold) {
        Double t = Refusals.number("threshold", threshold);
        return Refusals.answer(() -> engineering.preview(line, t));
    }

    @GET
    @Path("lines/{line}/suggested-threshold")
    public ThresholdAdvice.Suggestion suggestion(@PathParam("line") String line) {
        return Refusals.answer(() -> engineering.suggestion(line));
    }

    @GET
    @Path("cameras/{id}/roi")
    public CameraRois.State roi(@PathParam("id") String camera) {
        return Refusals.answer(() -> engineering.roi(camera));
    }

    @PUT
    @Path("cameras/{id}/roi")
    @Consumes(MediaType.APPLICATION_JSON)
    public CameraRois.State roi(@PathParam("id") String camera, Roi body) {
        Roi r = body == null ? new Roi(null, null, null, null) : body;
        return Refusals.answer(() -> engineering.changeRoi(camera, r.x(), r.y(), r.width(), r.height(),
                identity.getPrincipal().getName()));
    }

    /** Back to the configured ROI (the whole frame when none is configured). */
    @DELETE
    @Path("cameras/{id}/roi")
    public CameraRois.State resetRoi(@PathParam("id") String camera) {
        return Refusals.answer(() -> engineering.resetRoi(camera));
    }

    /** The camera's latest frame, whole (the ROI editor draws on it). */
    @GET
    @Path("cameras/{id}/frame.png")
    @Produces("image/png")
    @RolesAllowed(Role.OPERATOR_ROLE)
    public byte[] frame(@PathParam("id") String camera) {
        return Refusals.answer(() -> engineering.latestFramePng(camera));
    }
}
