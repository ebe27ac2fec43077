package dev.virtualghost.vsock;

import java.time.Duration;

/**
 * A hybrid vsock connection could not be made: either the guest did not start listening before the dialer's
 * deadline (after retries), or the socket failed in a way no retry can fix (permission denied, not a socket, a
 * missing directory), which fails at the first attempt.
 *
 * <p>Carries how many attempts were made, over how long, and the last cause (also the exception cause).
 * Immutable and thread-safe.
 */
public final class VsockDialException extends VsockException {

    private static final long serialVersionUID = 1L;

    /** How many connection attempts were made. */
    private final int attempts;
    /** Wall time from the first attempt until giving up. */
    private final Duration elapsed;

    /**
     * Creates the exception.
     *
     * @param message one line naming the socket and guest port, why dialing failed and what to try
     * @param attempts how many connection attempts were made, one or more
     * @param elapsed wall time from the first attempt until giving up
     * @param lastCause the failure of the last attempt, e.g. an {@link java.io.IOException}; may be null
     */
    public VsockDialException(String message, int attempts, Duration elapsed, Throwable lastCause) {
        super(message, lastCause);
        this.attempts = attempts;
        this.elapsed = elapsed;
    }

    /**
     * Returns how many connection attempts were made.
     *
     * @return the number of attempts; 1 when the first failure could not be fixed by retrying
     */
    public int attempts() {
        return attempts;
    }

    /**
     * Returns the wall time from the first attempt until giving up.
     *
     * @return the time spent dialing
     */
    public Duration elapsed() {
        return elapsed;
    }
}
