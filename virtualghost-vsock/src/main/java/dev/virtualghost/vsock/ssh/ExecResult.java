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

    /**
     * Decodes standard output as UTF-8 (malformed bytes become U+FFFD).
     *
     * @return the command's standard output as text
     */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /**
     * Decodes standard error as UTF-8 (malformed bytes become U+FFFD).
     *
     * @return the command's standard error as text
     */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /**
     * Tells whether the command succeeded.
     *
     * @return true when the exit status is 0
     */
    public boolean succeeded() {
        return exitStatus == 0;
    }
}
