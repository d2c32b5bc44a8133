package io.dafedge.api;

import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A refused request: its status and a message that tells the caller what to change, as {"error": "..."}. */
public final class ApiException extends WebApplicationException {
    public ApiException(Response.Status status, String message) {
        super(message, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message)).build());
    }
}
