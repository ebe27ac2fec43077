package dev.virtualghost.vsock.ssh;

import dev.virtualghost.vsock.VsockException;

/**
 * SSH to the guest failed: host key mismatch or unknown key, authentication, exec, timeout or SFTP.
 *
 * <p>A permitted subclass of the sealed {@link VsockException}, in the SSH package it belongs to (the module
 * descriptor makes the family one module; on the class path the JVM accepts it as well). The {@link Kind} tells
 * callers which failure it was. Immutable and thread-safe.
 */
public final class GuestSshException extends VsockException {

    private static final long serialVersionUID = 1L;

    /** Which step of the SSH session failed. */
    public enum Kind {
        /** The guest presented a host key other than the pinned one(s): refused, as the guest may be an impostor. */
        HOST_KEY_MISMATCH,
        /** No host key was pinned, so the guest's key could not be verified: refused. */
        HOST_KEY_UNKNOWN,
        /** The guest's sshd rejected the client key (not in the user's {@code authorized_keys}). */
        AUTH,
        /** The SSH session could not be set up for another reason, e.g. no sshd answering on the vsock port. */
        CONNECT,
        /** A command, shell or channel could not be started or failed while running. */
        EXEC,
        /** A command or transfer did not finish within its timeout, or was interrupted; it was stopped. */
        TIMEOUT,
        /** An SFTP transfer failed, e.g. a missing remote path or a permission error. */
        SFTP
    }

    /** Which step failed. */
    private final Kind kind;

    /**
     * Creates the exception.
     *
     * @param kind which step failed
     * @param message one line: what was attempted, on which guest port, why it failed and what to try
     * @param cause the failure behind it, e.g. a JSch or I/O exception; may be null
     */
    public GuestSshException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /**
     * Returns which step of the SSH session failed, e.g. to map it to an exit code.
     *
     * @return the kind of failure
     */
    public Kind kind() {
        return kind;
    }
}
