package dev.virtualghost.vsock;

import java.time.Duration;

/**
 * A hybrid vsock connection could not be made: either the guest did not start listening before the dialer's
 * deadline (after retries), or the socket failed in a way no retry can fix (permission denied, not a socket, a
 * missing directory), which fails at the first attempt.
 *
 * <p>Carries how many attempts were made, over how long, and the last cause (also the exception cause).
 * Immutable and thread-safe.
 */
public final class VsockDialException extends VsockException {

  private static final long serialVersionUID = 1L;

  private final int attempts;
  private final Duration elapsed;

  public VsockDialException(String message, int attempts, Duration elapsed, Throwable lastCause) {
    super(message, lastCause);
    this.attempts = attempts;
    this.elapsed = elapsed;
  }

  /** How many connection attempts were made. */
  public int attempts() {
    return attempts;
  }

  /** Wall time from the first attempt until giving up. */
  public Duration elapsed() {
    return elapsed;
  }
}
