package io.dafedge.api;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.dafedge.ApplianceBean;
import io.dafedge.ingest.Frame;
import io.dafedge.ingest.FrameOutcome;
import io.dafedge.inspect.Appliance;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;
import io.dafedge.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Frames uploaded by a camera, a PLC gateway or a person: decoded on arrival (so a bad image is refused at once),
 * then queued for the camera's inspection thread. The answer carries the result id the MQTT result will have.
 */
@RolesAllowed(Role.OPERATOR_ROLE)
@Path("/api/v1/cameras/{camera}/frames")
@Produces(MediaType.APPLICATION_JSON)
public class FramesResource {
    private final ApplianceBean appliance;

    FramesResource(ApplianceBean appliance) {
        this.appliance = appliance;
    }

    /** What an accepted frame gets back. */
    public record Accepted(String resultId, String camera, String line, String partId) {
    }

    @POST
    @Consumes({"image/jpeg", "image/png", "image/bmp"})
    public Response raw(@PathParam("camera") String camera, @QueryParam("partId") String partId, byte[] body) {
        return accept(camera, partId, body, "upload");
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response multipart(@PathParam("camera") String camera, @RestForm("file") FileUpload file,
            @RestForm("partId") String partId) throws IOException {
        if (file == null) {
            throw new ApiException(Response.Status.BAD_REQUEST, "multipart upload needs a 'file' part with the image");
        }
        return accept(camera, partId, Files.readAllBytes(file.uploadedFile()),
                file.fileName() == null ? "upload" : file.fileName());
    }

    private Response accept(String cameraId, String partId, byte[] body, String name) {
        Appliance.Camera camera = appliance.appliance().camera(cameraId).orElseThrow(() -> new ApiException(
                Response.Status.NOT_FOUND, "no camera '" + cameraId + "' is configured (cameras: "
                        + appliance.appliance().cameras().stream().map(c -> c.settings().id()).toList() + ")"));
        if (body == null || body.length == 0) {
            throw new ApiException(Response.Status.BAD_REQUEST, "the upload is empty: send a JPEG, PNG or BMP image");
        }
        if (partId != null && (partId.isBlank() || partId.length() > 200)) {
            throw new ApiException(Response.Status.BAD_REQUEST, "partId must be 1 to 200 characters");
        }
        Image image;
        try {
            image = ImageFiles.decode(body, name);
        } catch (ImageReadException e) {
            throw new ApiException(Response.Status.BAD_REQUEST, e.getMessage());
        }
        Frame frame = Frame.arrived(cameraId, partId, image, name, FrameOutcome.NONE);
        camera.queue().offer(frame);
        return Response.accepted(new Accepted(frame.resultId().toString(), cameraId, camera.settings().line(), partId))
                .location(URI.create("/api/v1/inspections/" + frame.resultId())).build();
    }
}
