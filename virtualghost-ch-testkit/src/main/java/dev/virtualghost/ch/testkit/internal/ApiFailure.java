package dev.virtualghost.ch.testkit.internal;

import java.util.List;

/**
 * An API call answered with an error status and a CH-style error chain (outermost first).
 *
 * <p>Stands for CH's {@code error_response}: the body is the JSON array of the error and its sources.
 */
public final class ApiFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final List<String> chain;

    public ApiFailure(int status, List<String> chain) {
        super(status + " " + chain, null, false, false);
        this.status = status;
        this.chain = List.copyOf(chain);
    }

    /** A failure whose chain starts with "Error from API", as every CH API error does. */
    public static ApiFailure api(int status, String... causes) {
        return new ApiFailure(status, prepend("Error from API", causes));
    }

    static List<String> prepend(String head, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = head;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return List.of(all);
    }

    public int status() {
        return status;
    }

    public List<String> chain() {
        return chain;
    }
}
