package io.dafedge.ui;

import java.util.Map;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.Template;
import io.quarkus.security.ForbiddenException;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Refusals as a person or a program can read them: a page under /ui, {"error": ...} elsewhere (the API's form).
 * Without this a role refusal has no body, and the browser shows its own bare error page.
 */
public class ErrorPages {
    private final Template error;

    ErrorPages(Template error) {
        this.error = error;
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, RoutingContext rc) {
        return answer(rc, Response.Status.FORBIDDEN, "Not allowed",
                "Your role may not do this: thresholds, models, training, settings and users are for engineers.");
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, RoutingContext rc) {
        return answer(rc, Response.Status.NOT_FOUND, "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e, RoutingContext rc) {
        return answer(rc, Response.Status.BAD_REQUEST, "Not accepted", e.getMessage());
    }

    private Response answer(RoutingContext rc, Response.Status status, String title, String message) {
        String path = rc.normalizedPath();
        if (path.equals("/ui") || path.startsWith("/ui/")) {
            return Response.status(status).type(MediaType.TEXT_HTML)
                    .entity(error.data("title", title).data("message", message).render()).build();
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
