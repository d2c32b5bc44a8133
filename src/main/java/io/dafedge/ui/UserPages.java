package io.dafedge.ui;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.dafedge.security.Role;
import io.dafedge.security.Users;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Engineers add operators and engineers, set passwords and remove users. */
@RolesAllowed(Role.ENGINEER_ROLE)
@Path("/ui/users")
public class UserPages {
    private final Template users;
    private final Users store;
    private final SecurityIdentity identity;

    UserPages(Template users, Users store, SecurityIdentity identity) {
        this.users = users;
        this.store = store;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list(@RestQuery String error, @RestQuery String done) {
        return users.data("users", store.list()).data("error", error).data("done", done)
                .data("minPassword", Users.MIN_PASSWORD);
    }

    @POST
    @Path("add")
    public Response add(@RestForm String username, @RestForm String password, @RestForm String role) {
        return act(() -> store.create(username == null ? null : username.strip(), password, Role.of(role)),
                "user " + username + " added");
    }

    @POST
    @Path("password")
    public Response password(@RestForm String username, @RestForm String password) {
        return act(() -> store.changePassword(username, password), "password of " + username + " changed");
    }

    @POST
    @Path("remove")
    public Response remove(@RestForm String username) {
        if (identity.getPrincipal().getName().equals(username)) {
            return back("error", "you cannot remove yourself");
        }
        return act(() -> store.delete(username), "user " + username + " removed");
    }

    private static Response act(Runnable change, String done) {
        try {
            change.run();
        } catch (IllegalArgumentException e) {
            return back("error", e.getMessage());
        }
        return back("done", done);
    }

    private static Response back(String key, String message) {
        return Response.seeOther(URI.create("/ui/users?" + key + "="
                + URLEncoder.encode(message, StandardCharsets.UTF_8))).build();
    }
}
