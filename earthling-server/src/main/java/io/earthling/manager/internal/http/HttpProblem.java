package io.earthling.manager.internal.http;

import io.earthling.api.EarthlingException;

/** An answer other than success, with its HTTP status; sent as {@code application/problem+json}. */
final class HttpProblem extends EarthlingException {
    final int status;

    HttpProblem(int status, String message) {
        super(message);
        this.status = status;
    }
}
