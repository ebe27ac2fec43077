package dev.virtualghost.vsock.ssh.internal;

import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import dev.virtualghost.vsock.VsockException;
import dev.virtualghost.vsock.ssh.GuestSshException;
import dev.virtualghost.vsock.ssh.GuestSshException.Kind;
import java.nio.file.Path;

/**
 * Turns a failed JSch connect into the one-line {@link GuestSshException} of the step that failed (host key, auth,
 * connect), or the vsock failure underneath it. JSch reports most of these only as message text, matched here.
 * Stateless.
 */
public final class SshFailures {
    private SshFailures() {}

    /**
     * The exception to throw for {@code e}, raised while connecting as {@code user} with {@code identity} to guest
     * vsock {@code port}, with {@code repo} holding the pins from {@code source}.
     */
    public static RuntimeException translate(
            JSchException e, PinnedHostKeys repo, String source, int port, String user, Path identity) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof VsockException v) {
                return v;
            }
        }
        byte[] got = repo.presented();
        String gotFp = got == null ? "?" : PinnedHostKeys.fingerprint(got);
        String msg = String.valueOf(e.getMessage());
        if (e instanceof JSchChangedHostKeyException
                || (got != null && !repo.pins().isEmpty() && msg.startsWith("HostKey has been changed"))) {
            String expected = String.join(
                    " or ",
                    repo.pins().stream().map(PinnedHostKeys.Pin::fingerprint).toList());
            return new GuestSshException(
                    Kind.HOST_KEY_MISMATCH,
                    "ssh: guest host key mismatch for vsock port "
                            + port + ": expected " + expected + ", got " + gotFp + "; the guest was replaced or "
                            + source
                            + " is stale: refusing to connect",
                    e);
        }
        if (msg.startsWith("UnknownHostKey") || msg.contains("reject HostKey")) {
            return new GuestSshException(
                    Kind.HOST_KEY_UNKNOWN,
                    "ssh: unknown guest host key " + gotFp
                            + " for vsock port " + port + ": nothing pinned (" + source + " has no key); pin it with"
                            + " hostKey(...) or knownHosts(...)",
                    e);
        }
        if (msg.contains("Auth fail") || msg.contains("Auth cancel") || msg.contains("USERAUTH")) {
            return new GuestSshException(
                    Kind.AUTH,
                    "ssh: authentication as " + user + " to guest vsock port "
                            + port + " failed with key " + identity
                            + "; is its public key in the guest's authorized_keys"
                            + " for " + user + "?",
                    e);
        }
        return new GuestSshException(
                Kind.CONNECT,
                "ssh: connect as " + user + " to guest vsock port " + port + " failed: " + msg
                        + "; is sshd running in the guest?",
                e);
    }
}
