package dev.virtualghost.api;

/**
 * The unchecked root of every failure VirtualGhost reports about the host, the VMM or the guest.
 *
 * <p>Each module refines it with a sealed family of its own (for example the CH client's
 * {@code ChException}), so callers catch broadly here or narrowly there. Misuse of an API (a null argument,
 * a call in the wrong state) is reported with the JDK's {@link IllegalArgumentException} and
 * {@link IllegalStateException} instead, never wrapped in this type.
 *
 * <p>Messages say what was attempted, on what, and what to try.
 */
public class VirtualGhostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that says what failed and what to try.
     *
     * @param message the message
     */
    public VirtualGhostException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the underlying cause.
     *
     * @param message the message
     * @param cause   the underlying cause
     */
    public VirtualGhostException(String message, Throwable cause) {
        super(message, cause);
    }
}
