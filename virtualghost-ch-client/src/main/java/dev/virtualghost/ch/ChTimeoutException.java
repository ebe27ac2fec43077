package dev.virtualghost.ch;

/**
 * CH accepted the connection but did not answer a call before its timeout.
 *
 * <p>A type of its own, not a {@link ChConnectionException}, because the consequences differ: a refused
 * connection means the request never reached CH, while a timed-out PUT (CH calls are not idempotent) may
 * still take effect, so a caller must check the VM's state ({@code info()}) before retrying.
 *
 * <p>Immutable and thread-safe.
 */
public final class ChTimeoutException extends ChException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the call and the timeout that expired
     * @param cause   the failure behind the timeout, e.g. the transport's {@link java.io.InterruptedIOException};
     *                may be null
     */
    public ChTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
