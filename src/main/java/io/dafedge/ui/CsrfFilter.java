package io.dafedge.ui;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Refuses every page request that changes something without the page's {@link Csrf} token. */
public class CsrfFilter {
    private static final Logger LOG = Logger.getLogger(CsrfFilter.class);

    // readBody: the token may be a field of the form, which must be parsed before the check
    @ServerRequestFilter(readBody = true)
    public Optional<Response> check(ResteasyReactiveContainerRequestContext ctx, RoutingContext rc) {
        String path = rc.normalizedPath();
        if (!Csrf.changes(ctx.getMethod()) || !(path.equals("/ui") || path.startsWith("/ui/"))) {
            return Optional.empty();
        }
        Cookie cookie = rc.request().getCookie(Csrf.COOKIE);
        String given = ctx.getHeaderString(Csrf.HEADER);
        if (given == null && ctx.getServerRequestContext() instanceof ResteasyReactiveRequestContext r) {
            Object field = r.getFormParameter(Csrf.FIELD, true, false);
            given = field == null ? null : field.toString();
        }
        if (Csrf.matches(cookie == null ? null : cookie.getValue(), given)) {
            return Optional.empty();
        }
        LOG.warnf("refused %s %s: no valid CSRF token (a form from another site, or a page older than its cookie)",
                ctx.getMethod(), path);
        return Optional.of(Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN)
                .entity("This form has expired or did not come from this appliance. Reload the page and try again.")
                .build());
    }
}
