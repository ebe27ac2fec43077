package dev.virtualghost.vsock;

import java.io.IOException;

/**
 * An I/O failure on a vsock resource outside dialing: binding a listener or tunnel, or a native AF_VSOCK call.
 *
 * <p>The cause is the original {@link IOException}. Immutable and thread-safe.
 */
public final class VsockIoException extends VsockException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line: what was attempted, on what, and what to try
     * @param cause the original I/O failure
     */
    public VsockIoException(String message, IOException cause) {
        super(message, cause);
    }
}
