package io.dafedge.ui;

import java.net.URI;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.dafedge.DafConfig;
import io.dafedge.security.FirstUser;
import io.dafedge.security.Users;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Logging in and out, and the first start's setup page (open to all: they come before a login). */
@Path("/ui")
@Produces(MediaType.TEXT_HTML)
public class AccessPages {
    private final Template login;
    private final Template setup;
    private final FirstUser firstUser;
    private final DafConfig config;
    private final String sessionCookie;

    AccessPages(Template login, Template setup, FirstUser firstUser, DafConfig config,
            @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String sessionCookie) {
        this.login = login;
        this.setup = setup;
        this.firstUser = firstUser;
        this.config = config;
        this.sessionCookie = sessionCookie;
    }

    @GET
    @Path("login")
    public Object login(@RestQuery boolean error) {
        if (firstUser.needed()) {
            return seeOther("/ui/setup");
        }
        return login.data("error", error);
    }

    @GET
    @Path("setup")
    public Object setup() {
        if (!firstUser.needed()) {
            return seeOther("/ui/login");
        }
        return setupPage(null);
    }

    @POST
    @Path("setup")
    public Object createAdministrator(@RestForm String code, @RestForm String username, @RestForm String password,
            @RestForm String again) {
        if (!firstUser.needed()) {
            return seeOther("/ui/login");
        }
        if (password == null || !password.equals(again)) {
            return Response.status(Response.Status.BAD_REQUEST).entity(setupPage("The two passwords differ.")).build();
        }
        try {
            firstUser.complete(code, username == null ? "" : username.strip(), password);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(setupPage(e.getMessage())).build();
        }
        return seeOther("/ui/login");
    }

    /** Forgets the session: the form login keeps it in a cookie, which is expired. */
    @POST
    @Path("logout")
    public Response logout(RoutingContext rc) {
        rc.response().addCookie(Cookie.cookie(sessionCookie, "").setPath("/").setMaxAge(0));
        return seeOther("/ui/login");
    }

    private TemplateInstance setupPage(String error) {
        return setup.data("error", error).data("minPassword", Users.MIN_PASSWORD)
                .data("codeFile", config.dataDir().resolve("setup-code").toAbsolutePath().normalize());
    }

    static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }
}
