package dev.virtualghost.vsock;

import dev.virtualghost.api.VirtualGhostException;

/**
 * Root of every failure raised by the vsock module: dialing, handshakes, tunnels and SSH to the guest.
 *
 * <p>Sealed so callers (the launcher CLI) can map each kind to an exit code in one exhaustive switch.
 * Instances are immutable and thread-safe.
 */
public abstract sealed class VsockException extends VirtualGhostException
        permits VsockDialException,
                VsockHandshakeException,
                VsockIoException,
                dev.virtualghost.vsock.ssh.GuestSshException {

    private static final long serialVersionUID = 1L;

    /**
     * For the permitted subclasses only (the class is sealed); protected so that {@code vsock.ssh} can reach it.
     *
     * @param message one line: what was attempted, on what, why it failed and what to try
     * @param cause the failure behind it; may be null
     */
    protected VsockException(String message, Throwable cause) {
        super(message, cause);
    }
}
