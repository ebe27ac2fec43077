package dev.virtualghost.launcher.steps;

import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.launcher.Keys;
import dev.virtualghost.launcher.LaunchContext;
import dev.virtualghost.launcher.RunJournal;
import dev.virtualghost.launcher.Step;
import dev.virtualghost.launcher.internal.SerialHandshake;
import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.ssh.GuestSsh;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code guest.ready}: waits for the guest's {@code VIRTUALGHOST-HOSTKEY} and {@code VIRTUALGHOST-READY} lines
 * on its serial console, pins the ed25519 host key from there, and only then dials vsock port 22 and logs in
 * with the session's client key. A guest that powers off first fails at once, in one line. Does nothing when the
 * launch does not use SSH.
 *
 * <p>Stateless and thread-safe: one instance may serve any number of launches.
 */
public final class GuestReadyStep implements Step {
    /** This step's name. */
    public static final String NAME = "guest.ready";
    /** The guest's sshd vsock port. */
    public static final int SSH_PORT = 22;

    /** Creates the step. It holds no state: one instance may run in any number of launches. */
    public GuestReadyStep() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(LaunchContext ctx) throws Exception {
        if (!ctx.spec().ssh()) {
            return;
        }
        ChProcess ch = ctx.require(Keys.CH_PROCESS);
        SerialHandshake.Result guest =
                SerialHandshake.await(ch.serialFile(), ctx.remaining(), () -> !ch.isAlive(), ctx::isCancelled);
        Path vsock = ctx.require(Keys.VSOCK_SOCKET);
        Duration timeout = ctx.remaining();
        HybridVsockDialer dialer =
                HybridVsockDialer.builder().socket(vsock).dialTimeout(timeout).build();
        GuestSsh ssh = GuestSsh.builder()
                .dialer(dialer)
                .port(SSH_PORT)
                .hostKey(guest.ed25519().orElseThrow())
                .identityFile(ctx.require(Keys.CLIENT_KEY_FILE))
                .connectTimeout(timeout)
                .connect();
        ctx.undos().push("close the SSH connection", ssh::close);
        ctx.put(Keys.GUEST_SSH, ssh);
        ctx.require(Keys.JOURNAL).put(RunJournal.SSH_HOST_KEY, guest.ed25519().orElseThrow());
    }
}
