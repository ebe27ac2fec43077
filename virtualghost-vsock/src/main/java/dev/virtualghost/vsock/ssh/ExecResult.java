package dev.virtualghost.vsock.ssh;

import java.nio.charset.StandardCharsets;

/**
 * Outcome of {@link GuestSsh#exec(String, java.time.Duration)}: exit status and captured output.
 *
 * @param exitStatus the remote command's exit status (-1 if the server sent none)
 * @param stdout bytes written to standard output
 * @param stderr bytes written to standard error
 */
public record ExecResult(int exitStatus, byte[] stdout, byte[] stderr) {

  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }

  public boolean succeeded() {
    return exitStatus == 0;
  }
}
