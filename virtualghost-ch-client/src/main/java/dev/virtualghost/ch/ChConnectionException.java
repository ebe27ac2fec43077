package dev.virtualghost.ch;

/**
 * CH could not be reached: the API socket is missing, nothing listens on it, the connection broke before an
 * answer, or the process serving it died. A call that failed this way was not (or not fully) delivered.
 *
 * <p>Immutable and thread-safe.
 */
public final class ChConnectionException extends ChException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was attempted, on which socket, and what to try
     */
    public ChConnectionException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the I/O failure behind it.
     *
     * @param message what was attempted, on which socket, and what to try
     * @param cause   the I/O failure, e.g. a {@link java.net.ConnectException}; may be null
     */
    public ChConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
