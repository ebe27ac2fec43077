package dev.virtualghost.launcher.assets;

/**
 * A guest asset cannot be found, fetched or verified. The message is one line saying what failed and what to do;
 * nothing half-written is left in the cache when this is thrown.
 */
public final class AssetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An asset failure with its cause.
     *
     * @param message what failed and what to do
     * @param cause the underlying failure
     */
    public AssetException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An asset failure.
     *
     * @param message what failed and what to do
     */
    public AssetException(String message) {
        super(message);
    }
}
