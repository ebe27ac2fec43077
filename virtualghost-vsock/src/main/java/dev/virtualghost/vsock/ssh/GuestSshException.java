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
    HOST_KEY_MISMATCH,
    HOST_KEY_UNKNOWN,
    AUTH,
    CONNECT,
    EXEC,
    TIMEOUT,
    SFTP
  }

  private final Kind kind;

  public GuestSshException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** Which step failed. */
  public Kind kind() {
    return kind;
  }
}
