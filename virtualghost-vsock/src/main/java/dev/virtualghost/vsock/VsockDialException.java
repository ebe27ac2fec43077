package dev.virtualghost.vsock;

import java.time.Duration;

/**
 * The guest did not accept a hybrid vsock connection before the dialer's deadline.
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
