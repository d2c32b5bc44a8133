package io.dafedge.ui;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** The appliance's address opens the operators' line view. */
@Path("/")
public class RootRedirect {
    @GET
    public Response root() {
        return AccessPages.seeOther("/ui");
    }
}
