package dev.virtualghost.vfio;

/**
 * The host cannot be read or prepared for VFIO: sysfs unreadable, a journal unreadable or unwritable.
 */
public final class VfioHostException extends VfioException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line saying what could not be read or written, where, and what to try
     * @param cause   the I/O failure behind it; may be null
     */
    public VfioHostException(String message, Throwable cause) {
        super(message, cause);
    }
}
