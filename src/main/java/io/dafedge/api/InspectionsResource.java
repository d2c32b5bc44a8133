package io.dafedge.api;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.dafedge.store.InspectionRecord;
import io.dafedge.store.RegionRecord;
import io.dafedge.store.ResultRepository;
import io.dafedge.store.Reviews;
import io.quarkus.security.identity.SecurityIdentity;
import io.dafedge.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Stored inspections: listed newest first and paged, one with its regions, its pictures, and its review. */
@RolesAllowed(Role.OPERATOR_ROLE)
@Path("/api/v1/inspections")
@Produces(MediaType.APPLICATION_JSON)
public class InspectionsResource {
    static final int MAX_PAGE_SIZE = 200;
    private static final Set<String> VERDICTS = Set.of("OK", "NOK", "UNKNOWN");

    private final ResultRepository results;
    private final Reviews reviews;
    private final SecurityIdentity identity;

    InspectionsResource(ResultRepository results, Reviews reviews, SecurityIdentity identity) {
        this.results = results;
        this.reviews = reviews;
        this.identity = identity;
    }

    /** An operator's judgement: what the part truly is, and whether a good frame is kept for training. */
    public record ReviewRequest(Boolean defective, boolean trainingMaterial) {
    }

    public record Region(int x, int y, int width, int height, long area, double maxScore, double meanScore) {
    }

    public record Timings(double preprocess, double detect, double postprocess) {
    }

    public record Images(String thumbnail, String heatmap) {
    }

    /** @param reinspectionOf the inspection this one repeated on the same picture; null for most */
    public record Inspection(String resultId, String line, String camera, String partId, Instant capturedAt,
            Instant inspectedAt, String verdict, Double score, Double threshold, String modelId, Integer modelVersion,
            List<Region> regions, int regionsOmitted, Timings timingsMs, Images images, String reinspectionOf) {
        static Inspection of(InspectionRecord r) {
            String base = "/api/v1/inspections/" + r.id;
            return new Inspection(r.id.toString(), r.line, r.camera, r.partId, r.capturedAt, r.inspectedAt, r.verdict,
                    r.score, r.threshold, r.modelId, r.modelVersion,
                    r.regions.stream().map(Inspection::region).toList(), r.regionsOmitted,
                    new Timings(r.preprocessMs, r.detectMs, r.postprocessMs),
                    r.hasImages ? new Images(base + "/thumbnail.png", base + "/heatmap.png") : null,
                    r.reinspectionOf == null ? null : r.reinspectionOf.toString());
        }

        private static Region region(RegionRecord g) {
            return new Region(g.x, g.y, g.width, g.height, g.area, g.maxScore, g.meanScore);
        }
    }

    public record Page(List<Inspection> items, int page, int size, long total) {
    }

    /**
     * @param from inclusive, ISO-8601 instant
     * @param to   exclusive, ISO-8601 instant
     * @param page counted from 0
     */
    @GET
    public Page list(@QueryParam("line") String line, @QueryParam("camera") String camera,
            @QueryParam("verdict") String verdict, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        if (verdict != null && !VERDICTS.contains(verdict)) {
            throw new ApiException(Response.Status.BAD_REQUEST, "verdict must be OK, NOK or UNKNOWN");
        }
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ApiException(Response.Status.BAD_REQUEST,
                    "page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
        }
        var p = results.list(new ResultRepository.Filter(blankToNull(line), blankToNull(camera), verdict,
                instant("from", from), instant("to", to)), page, size);
        return new Page(p.items().stream().map(Inspection::of).toList(), page, size, p.total());
    }

    @GET
    @Path("{id}")
    public Inspection one(@PathParam("id") String id) {
        return Inspection.of(results.find(uuid(id)).orElseThrow(() -> notFound(id)));
    }

    @GET
    @Path("{id}/thumbnail.png")
    @Produces("image/png")
    public byte[] thumbnail(@PathParam("id") String id) {
        return picture(id, ResultRepository.Picture.THUMBNAIL);
    }

    @GET
    @Path("{id}/heatmap.png")
    @Produces("image/png")
    public byte[] heatmap(@PathParam("id") String id) {
        return picture(id, ResultRepository.Picture.HEATMAP);
    }

    /** The inspection's review, if it has one. */
    @GET
    @Path("{id}/review")
    public Reviews.Labelled review(@PathParam("id") String id) {
        return reviews.find(uuid(id)).orElseThrow(() -> new ApiException(Response.Status.NOT_FOUND,
                "inspection " + id + " has not been reviewed"));
    }

    /** Records (or changes) the review; the reviewer is the caller. */
    @POST
    @Path("{id}/review")
    @Consumes(MediaType.APPLICATION_JSON)
    public Reviews.Labelled saveReview(@PathParam("id") String id, ReviewRequest request) {
        if (request == null || request.defective() == null) {
            throw new ApiException(Response.Status.BAD_REQUEST, "give {\"defective\": true|false}, and optionally "
                    + "\"trainingMaterial\": true for a good frame to keep for training");
        }
        UUID uuid = uuid(id);
        if (results.find(uuid).isEmpty()) {
            throw notFound(id);
        }
        try {
            return reviews.review(uuid, request.defective(), request.trainingMaterial(),
                    identity.getPrincipal().getName());
        } catch (IllegalArgumentException e) {
            throw new ApiException(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (IOException e) {
            throw new ApiException(Response.Status.INTERNAL_SERVER_ERROR, "the frame could not be kept for training ("
                    + e.getMessage() + "); nothing was recorded");
        }
    }

    private byte[] picture(String id, ResultRepository.Picture which) {
        return results.picture(uuid(id), which).orElseThrow(() -> new ApiException(Response.Status.NOT_FOUND,
                "no pictures kept for inspection " + id + " (OK inspections keep none unless daf.store.ok-images "
                        + "is set; old ones are removed by retention)"));
    }

    private static ApiException notFound(String id) {
        return new ApiException(Response.Status.NOT_FOUND, "no inspection " + id);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(Response.Status.BAD_REQUEST, "'" + id + "' is not a result id (a UUID)");
        }
    }

    private static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiException(Response.Status.BAD_REQUEST,
                    name + " must be an ISO-8601 instant such as 2026-11-27T08:00:00Z, got '" + text + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
