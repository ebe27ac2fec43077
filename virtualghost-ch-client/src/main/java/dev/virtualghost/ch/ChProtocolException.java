package dev.virtualghost.ch;

/**
 * CH answered with a success status but a body this client cannot read (malformed JSON, a missing body where
 * one is required, a malformed HTTP response). Usually means a CH version this client does not know.
 *
 * <p>Immutable and thread-safe.
 */
public final class ChProtocolException extends ChException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the call and what was wrong with CH's answer
     */
    public ChProtocolException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the parse failure behind it.
     *
     * @param message the call and what was wrong with CH's answer
     * @param cause   the parse failure, e.g. a JSON or HTTP framing error; may be null
     */
    public ChProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
