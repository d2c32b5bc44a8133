package io.dafedge.ui;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** The page's CSRF token ({@code {inject:csrf.token}} in templates); set as a cookie on the first page a browser gets. */
@RequestScoped
@Named("csrf")
public class CsrfToken {
    private final RoutingContext request;
    private String token;

    CsrfToken(RoutingContext request) {
        this.request = request;
    }

    public String getToken() {
        if (token == null) {
            Cookie c = request.request().getCookie(Csrf.COOKIE);
            if (c != null && c.getValue().length() >= 32) {
                token = c.getValue();
            } else {
                token = Csrf.newToken();
                request.response().addCookie(Cookie.cookie(Csrf.COOKIE, token).setPath("/ui").setHttpOnly(true)
                        .setSameSite(CookieSameSite.STRICT));
            }
        }
        return token;
    }

    public String getField() {
        return Csrf.FIELD;
    }
}
