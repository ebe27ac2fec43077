package dev.virtualghost.vfio;

/**
 * The host cannot be read or prepared for VFIO: sysfs unreadable, a journal unreadable or unwritable.
 */
public final class VfioHostException extends VfioException {
    private static final long serialVersionUID = 1L;

    public VfioHostException(String message, Throwable cause) {
        super(message, cause);
    }
}
