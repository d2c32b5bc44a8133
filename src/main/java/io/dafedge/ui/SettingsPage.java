package io.dafedge.ui;

import io.dafedge.api.Engineering;
import io.dafedge.api.SettingsResource;
import io.dafedge.inspect.CameraRois;
import io.dafedge.inspect.ThresholdAdvice;
import io.dafedge.security.Role;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The settings page: per line the threshold with a live preview on the reviewed frames and a suggestion, per camera
 * the ROI drawn on its latest frame. The page's script calls the JSON endpoints below: the API's calls, reached
 * through the form login and the CSRF check (the API itself takes HTTP Basic only).
 */
@RolesAllowed(Role.ENGINEER_ROLE)
@Path("/ui/settings")
@Produces(MediaType.TEXT_HTML)
public class SettingsPage {
    private final Template settings;
    private final Engineering engineering;
    private final SettingsResource api;

    SettingsPage(Template settings, Engineering engineering, SettingsResource api) {
        this.settings = settings;
        this.engineering = engineering;
        this.api = api;
    }

    @GET
    public TemplateInstance page() {
        return settings.data("lines", engineering.lines()).data("cameras", engineering.rois());
    }

    @POST
    @Path("lines/{line}/threshold")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Engineering.ActiveModel threshold(@PathParam("line") String line, SettingsResource.Threshold body) {
        return api.threshold(line, body);
    }

    @GET
    @Path("lines/{line}/threshold-preview")
    @Produces(MediaType.APPLICATION_JSON)
    public ThresholdAdvice.Preview preview(@PathParam("line") String line, @QueryParam("threshold") String threshold) {
        return api.preview(line, threshold);
    }

    @GET
    @Path("lines/{line}/suggested-threshold")
    @Produces(MediaType.APPLICATION_JSON)
    public ThresholdAdvice.Suggestion suggestion(@PathParam("line") String line) {
        return api.suggestion(line);
    }

    @POST
    @Path("cameras/{id}/roi")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CameraRois.State roi(@PathParam("id") String camera, SettingsResource.Roi body) {
        return api.roi(camera, body);
    }

    @POST
    @Path("cameras/{id}/roi/reset")
    @Produces(MediaType.APPLICATION_JSON)
    public CameraRois.State resetRoi(@PathParam("id") String camera) {
        return api.resetRoi(camera);
    }

    @GET
    @Path("cameras/{id}/frame.png")
    @Produces("image/png")
    public byte[] frame(@PathParam("id") String camera) {
        return api.frame(camera);
    }
}
