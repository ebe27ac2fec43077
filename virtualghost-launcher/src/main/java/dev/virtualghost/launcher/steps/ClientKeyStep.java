package dev.virtualghost.launcher.steps;

import dev.virtualghost.launcher.Keys;
import dev.virtualghost.launcher.LaunchContext;
import dev.virtualghost.launcher.RunJournal;
import dev.virtualghost.launcher.Step;
import dev.virtualghost.launcher.internal.PrivateDirs;
import dev.virtualghost.vsock.ssh.EphemeralKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code ssh.key}: makes the session's fresh ed25519 client key pair (private key 0600 in the run's 0700
 * directory, removed by the undo). Its public half reaches the guest on the kernel command line as
 * {@code virtualghost.authorized_key=<type>:<base64>}; the private half never leaves the host. Does nothing
 * when the launch does not use SSH.
 *
 * <p>Stateless and thread-safe: one instance may serve any number of launches.
 */
public final class ClientKeyStep implements Step {
    /** This step's name. */
    public static final String NAME = "ssh.key";

    /** Creates the step. It holds no state: one instance may run in any number of launches. */
    public ClientKeyStep() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(LaunchContext ctx) throws IOException {
        if (!ctx.spec().ssh()) {
            return;
        }
        EphemeralKey key = EphemeralKey.generate();
        ctx.undos().push("delete the session's SSH client key", key::close);
        ctx.put(Keys.CLIENT_KEY, key);
        // The private key lives in the run's 0700 directory, so that 'virtualghost exec' from another process of
        // the same user can reach this run's guest; it goes with the run directory.
        Path dir = PrivateDirs.ensure(ctx.require(Keys.RUN_DIR).resolve("ssh"));
        Path identity = dir.resolve("id_ed25519");
        Files.move(key.privateKeyPath(), identity);
        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-------"));
        ctx.undos().push("delete " + identity, () -> Files.deleteIfExists(identity));
        ctx.put(Keys.CLIENT_KEY_FILE, identity);
        ctx.require(Keys.JOURNAL).put(RunJournal.SSH_IDENTITY, identity.toString());
    }
}
