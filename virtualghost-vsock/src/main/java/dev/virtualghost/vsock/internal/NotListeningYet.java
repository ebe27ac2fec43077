package dev.virtualghost.vsock.internal;

import java.io.IOException;

/**
 * A dial attempt failed in a way that waiting may fix: the guest (or CH) is not listening yet. Carries whether the
 * attempt's wait was cut short by the overall deadline and whether it met silence (CONNECT sent, nothing back), so
 * the dialer can report the most telling cause when it gives up.
 */
public final class NotListeningYet extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean cutByDeadline;
    private final boolean silence;

    /** A failure the full step limit saw (refused, closed before OK, no socket file yet). */
    public NotListeningYet(String message, Throwable cause) {
        this(message, cause, false, false);
    }

    /** A failure with the flags given. */
    public NotListeningYet(String message, Throwable cause, boolean cutByDeadline, boolean silence) {
        super(message, cause);
        this.cutByDeadline = cutByDeadline;
        this.silence = silence;
    }

    /** The attempt's wait was the rest of the deadline, not its full step limit. */
    public boolean cutByDeadline() {
        return cutByDeadline;
    }

    /** The attempt connected and sent CONNECT, and nothing came back: no OK, no close. */
    public boolean silence() {
        return silence;
    }
}
