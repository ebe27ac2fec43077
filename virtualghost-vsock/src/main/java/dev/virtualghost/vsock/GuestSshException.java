package dev.virtualghost.vsock;

/**
 * SSH to the guest failed: host key mismatch or unknown key, authentication, exec, timeout or SFTP.
 *
 * <p>Lives in this package (not {@code ...vsock.ssh}) because a sealed family outside a named module must
 * stay in one package. The {@link Kind} tells callers which failure it was. Immutable and thread-safe.
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
