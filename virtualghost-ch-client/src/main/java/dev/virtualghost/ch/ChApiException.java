package dev.virtualghost.ch;

import dev.virtualghost.ch.internal.BodyLimits;
import java.util.List;
import java.util.Objects;

/**
 * CH answered a call with an error status. CH's error body is a JSON array of strings, outermost error first
 * and root cause last ({@code ["Error from API", "The VM could not boot", "..."]}); the whole chain is kept
 * and shown in {@link #getMessage()}, e.g.
 * {@code PUT /api/v1/vm.boot: 500 Internal Server Error: Error from API: The VM could not boot: ...}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ChApiException extends ChException {
    private static final long serialVersionUID = 1L;

    private final String method;
    private final String endpoint;
    private final int status;
    private final List<String> errors;

    /**
     * Creates the exception.
     *
     * @param method   the HTTP method, e.g. {@code PUT}
     * @param endpoint the endpoint path, e.g. {@code vm.boot}
     * @param status   the HTTP status CH sent
     * @param reason   the reason phrase for the status
     * @param errors   the error chain, outermost first; the raw body as one entry when it was not a JSON array
     */
    public ChApiException(String method, String endpoint, int status, String reason, List<String> errors) {
        super(message(method, endpoint, status, reason, errors));
        this.method = Objects.requireNonNull(method, "method == null");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint == null");
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    private static String message(String method, String endpoint, int status, String reason, List<String> errors) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(" /api/v1/").append(endpoint).append(": ").append(status);
        if (reason != null && !reason.isEmpty()) {
            sb.append(' ').append(reason);
        }
        if (!errors.isEmpty()) {
            // Capped: the whole chain stays in errors(), a huge one must not make a huge message.
            sb.append(": ").append(BodyLimits.forMessage(String.join(": ", errors)));
        }
        if (status == 404 && errors.isEmpty()) {
            sb.append(" (has a VM been created with vm.create?)");
        }
        return sb.toString();
    }

    /** The HTTP method of the failed call. */
    public String method() {
        return method;
    }

    /** The endpoint path of the failed call, e.g. {@code vm.boot}. */
    public String endpoint() {
        return endpoint;
    }

    /** The HTTP status CH sent. */
    public int status() {
        return status;
    }

    /** The error chain, outermost first, root cause last; empty when CH sent no body. */
    public List<String> errors() {
        return errors;
    }

    /** The innermost error (the root cause), or an empty string when CH sent no body. */
    public String rootCause() {
        return errors.isEmpty() ? "" : errors.get(errors.size() - 1);
    }
}
