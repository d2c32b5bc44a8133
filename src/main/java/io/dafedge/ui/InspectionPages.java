package io.dafedge.ui;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.dafedge.api.LineSnapshots;
import io.dafedge.security.Role;
import io.dafedge.store.InspectionRecord;
import io.dafedge.store.ResultRepository;
import io.dafedge.store.Reviews;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** History (filtered, paged, with thumbnails), one inspection in detail, and the operators' review of verdicts. */
@RolesAllowed(Role.OPERATOR_ROLE)
@Path("/ui")
public class InspectionPages {
    static final int PAGE_SIZE = 40;
    static final int REVIEW_BATCH = 24;
    private static final List<String> VERDICTS = List.of("OK", "NOK", "UNKNOWN");

    private final Template history;
    private final Template inspection;
    private final Template review;
    private final ResultRepository results;
    private final Reviews reviews;
    private final LineSnapshots snapshots;
    private final SecurityIdentity identity;

    InspectionPages(Template history, Template inspection, Template review, ResultRepository results,
            Reviews reviews, LineSnapshots snapshots, SecurityIdentity identity) {
        this.history = history;
        this.inspection = inspection;
        this.review = review;
        this.results = results;
        this.reviews = reviews;
        this.snapshots = snapshots;
        this.identity = identity;
    }

    /** The history's filter as the form shows it (times as the browser's datetime-local fields give them). */
    public record Filter(String line, String camera, String verdict, String from, String to) {
        String query(int page) {
            StringBuilder b = new StringBuilder("?page=").append(page);
            append(b, "line", line);
            append(b, "camera", camera);
            append(b, "verdict", verdict);
            append(b, "from", from);
            append(b, "to", to);
            return b.toString();
        }

        private static void append(StringBuilder b, String name, String value) {
            if (value != null && !value.isBlank()) {
                b.append('&').append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    @GET
    @Path("history")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance history(@RestQuery String line, @RestQuery String camera, @RestQuery String verdict,
            @RestQuery String from, @RestQuery String to, @RestQuery int page) {
        Filter f = new Filter(blank(line), blank(camera), blank(verdict), blank(from), blank(to));
        String error = null;
        ResultRepository.PageOf<InspectionRecord> p;
        try {
            p = results.list(new ResultRepository.Filter(f.line(), f.camera(), verdict(f.verdict()),
                    local("from", f.from()), local("to", f.to())), Math.max(page, 0), PAGE_SIZE);
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
            p = new ResultRepository.PageOf<>(List.of(), 0, PAGE_SIZE, 0);
        }
        long pages = (p.total() + PAGE_SIZE - 1) / PAGE_SIZE;
        return history.data("filter", f).data("page", p).data("error", error)
                .data("lines", snapshots.lines()).data("cameras", snapshots.cameras()).data("verdicts", VERDICTS)
                .data("previous", p.page() > 0 ? f.query(p.page() - 1) : null)
                .data("next", p.page() + 1 < pages ? f.query(p.page() + 1) : null).data("pages", pages);
    }

    @GET
    @Path("inspections/{id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance inspection(@PathParam("id") String id, @RestQuery String error) {
        UUID uuid = uuid(id);
        InspectionRecord r = results.find(uuid).orElseThrow(() -> new NotFoundException("Inspection " + id
                + " is not stored: results reach the database within a second of their inspection, so reload in a "
                + "moment; inspections older than the retention period are deleted."));
        return inspection.data("i", r).data("review", reviews.find(uuid).orElse(null)).data("error", error);
    }

    /** The inspection's thumbnail or heat map, for the pages (the API's twin takes HTTP Basic, the pages a cookie). */
    @GET
    @Path("inspections/{id}/{picture: thumbnail|heatmap}.png")
    @Produces("image/png")
    public byte[] picture(@PathParam("id") String id, @PathParam("picture") String picture) {
        ResultRepository.Picture which = ResultRepository.Picture.valueOf(picture.toUpperCase(Locale.ROOT));
        return results.picture(uuid(id), which).orElseThrow(() -> new NotFoundException("No " + picture
                + " is kept for inspection " + id + ": OK frames keep pictures only when sampled, and the retention "
                + "limit removes old ones."));
    }

    /** The frames with pictures nobody has reviewed yet, newest first. */
    @GET
    @Path("review")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance review(@RestQuery String line) {
        String l = blank(line);
        return review.data("items", reviews.toReview(l, REVIEW_BATCH)).data("line", l)
                .data("lines", snapshots.lines()).data("recent", reviews.list(l, 0, 10));
    }

    /**
     * Records an operator's judgement and goes back to the page it came from.
     *
     * @param label    good or defective: what the part truly is
     * @param training keep a good frame as training material
     * @param next     the page to return to (a page of this UI only)
     */
    @POST
    @Path("inspections/{id}/review")
    public Response saveReview(@PathParam("id") String id, @RestForm String label, @RestForm boolean training,
            @RestForm String next) {
        String back = next != null && next.startsWith("/ui") && !next.startsWith("//") ? next : "/ui/inspections/" + id;
        if (!"good".equals(label) && !"defective".equals(label)) {
            throw new BadRequestException("label must be good or defective");
        }
        try {
            reviews.review(uuid(id), "defective".equals(label), training, identity.getPrincipal().getName());
        } catch (IllegalArgumentException e) {
            return refused(id, e.getMessage());
        } catch (IOException e) {
            return refused(id, "The frame could not be kept for training (" + e.getMessage() + "); nothing was "
                    + "recorded. Check the data folder's disk.");
        }
        return Response.seeOther(URI.create(back)).build();
    }

    private static Response refused(String id, String why) {
        return Response.seeOther(URI.create("/ui/inspections/" + id + "?error="
                + URLEncoder.encode(why, StandardCharsets.UTF_8))).build();
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no inspection " + id);
        }
    }

    private static String verdict(String v) {
        if (v != null && !VERDICTS.contains(v)) {
            throw new IllegalArgumentException("verdict must be OK, NOK or UNKNOWN");
        }
        return v;
    }

    /** A datetime-local field's value, read in the appliance's time zone. */
    private static Instant local(String name, String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " is not a date and time: " + text);
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
