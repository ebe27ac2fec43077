package dev.virtualghost.vsock;

/**
 * The peer answered {@code CONNECT} with something other than an {@code OK <port>} line.
 *
 * <p>Never retried: a garbage reply means the socket is not a hybrid vsock muxer (wrong path) or a protocol
 * mismatch, and waiting will not fix it. Immutable and thread-safe.
 */
public final class VsockHandshakeException extends VsockException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line naming the socket and port and quoting what the peer sent instead of {@code OK}
     */
    public VsockHandshakeException(String message) {
        super(message, null);
    }
}
