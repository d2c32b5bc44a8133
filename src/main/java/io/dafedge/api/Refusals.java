package io.dafedge.api;

import java.util.NoSuchElementException;
import java.util.function.Supplier;

import jakarta.ws.rs.core.Response;

/**
 * {@link Engineering}'s refusals as answers: 404 for an unknown line, camera or model, 400 for bad input, 409 for
 * what cannot be done now; JSON {"error": "..."} for the API and the pages' scripts.
 */
public final class Refusals {
    private Refusals() {
    }

    public static <T> T answer(Supplier<T> call) {
        try {
            return call.get();
        } catch (NoSuchElementException | IllegalArgumentException | IllegalStateException e) {
            throw new ApiException(status(e), e.getMessage());
        }
    }

    /** The status of one of {@link Engineering}'s refusals. */
    public static Response.Status status(RuntimeException e) {
        if (e instanceof NoSuchElementException) {
            return Response.Status.NOT_FOUND;
        }
        return e instanceof IllegalArgumentException ? Response.Status.BAD_REQUEST : Response.Status.CONFLICT;
    }

    /** A number the caller typed, or a 400 naming it. */
    public static Double number(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new ApiException(Response.Status.BAD_REQUEST, name + " must be a number, got '" + text + "'");
        }
    }
}
