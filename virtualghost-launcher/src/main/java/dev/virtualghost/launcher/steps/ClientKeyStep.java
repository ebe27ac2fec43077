package dev.virtualghost.launcher.steps;

import dev.virtualghost.launcher.Keys;
import dev.virtualghost.launcher.LaunchContext;
import dev.virtualghost.launcher.Step;
import dev.virtualghost.vsock.ssh.EphemeralKey;

/**
 * {@code ssh.key}: makes the session's fresh ed25519 client key pair (private key 0600 in a 0700 directory,
 * removed by the undo). Its public half reaches the guest on the kernel command line as
 * {@code virtualghost.authorized_key=<type>:<base64>}; the private half never leaves the host. Does nothing
 * when the launch does not use SSH.
 */
public final class ClientKeyStep implements Step {
    /** This step's name. */
    public static final String NAME = "ssh.key";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(LaunchContext ctx) {
        if (!ctx.spec().ssh()) {
            return;
        }
        EphemeralKey key = EphemeralKey.generate();
        ctx.undos().push("delete the session's SSH client key", key::close);
        ctx.put(Keys.CLIENT_KEY, key);
    }
}
