package dev.virtualghost.launcher.testing;

import dev.virtualghost.vsock.testing.Sshd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The guest's sshd, minus the VM: virtualghost-vsock's {@link Sshd} fixture (a real OpenSSH {@code sshd} on a
 * loopback port with a fresh host key), whose authorized keys come from an
 * {@code AuthorizedKeysCommand} that reads {@code virtualghost.authorized_key=} from the kernel command line of
 * the VMs under a runtime root ({@code vm.info} on their API sockets). That command stands for the guest's
 * boot-time step of contract 5, which copies the key from {@code /proc/cmdline} into root's authorized_keys.
 *
 * <p>sshd requires the command and every directory above it to be root-owned and not group/other writable, so
 * the fixture's directory lives under {@code target/}, not {@code /tmp}.
 */
public final class GuestSshd implements AutoCloseable {
    private static final Path CURL = Path.of("/usr/bin/curl");

    private final Sshd sshd;

    private GuestSshd(Sshd sshd) {
        this.sshd = sshd;
    }

    /** Why this fixture cannot run here, or null when it can (sshd, ssh-keygen, curl installed, running as root). */
    public static String missingReason() {
        if (!Sshd.available() || !Files.isExecutable(CURL)) {
            return Sshd.SSHD + ", ssh-keygen or " + CURL
                    + " missing: apt-get install openssh-server openssh-client curl";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "sshd's AuthorizedKeysCommand needs root to run the fixture";
        }
        return null;
    }

    /** Starts sshd for the VMs under {@code runtimeRoot} and waits until it accepts TCP connections. */
    public static GuestSshd start(Path runtimeRoot) throws IOException, InterruptedException {
        return new GuestSshd(Sshd.start(Path.of("target").toAbsolutePath(), dir -> {
            Path keys = dir.resolve("authorized-keys-from-cmdline");
            try {
                Files.writeString(
                        keys,
                        String.join(
                                "\n",
                                "#!/bin/sh",
                                "for s in '" + runtimeRoot + "'/runs/*/vmm/api.sock; do",
                                "  [ -S \"$s\" ] && " + CURL
                                        + " -s --unix-socket \"$s\" http://localhost/api/v1/vm.info",
                                "done | grep -o 'virtualghost.authorized_key=[^ \"]*' | sed"
                                        + " 's/^virtualghost.authorized_key=//; s/:/ /'",
                                ""));
                Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return List.of(
                    "AuthorizedKeysFile none", "AuthorizedKeysCommand " + keys, "AuthorizedKeysCommandUser root");
        }));
    }

    /** The loopback port sshd listens on. */
    public int port() {
        return sshd.port();
    }

    /** The host key as {@code ssh-ed25519 AAAA...} (comment dropped). */
    public String hostKey() {
        String[] parts = sshd.hostKeyLine().split("\\s+");
        return parts[0] + " " + parts[1];
    }

    /** What sshd logged. */
    public String log() throws IOException {
        return sshd.log();
    }

    /**
     * Writes a {@code cloud-hypervisor} wrapper into this fixture's directory that runs {@code fakeCh} with the
     * guest's vsock port 22 wired to this sshd (contract 3, {@code VIRTUALGHOST_FAKE_GUEST_VSOCK}).
     */
    public Path wrapFakeCh(Path fakeCh) throws IOException {
        Path w = sshd.directory().resolve("cloud-hypervisor");
        Files.writeString(
                w,
                "#!/bin/sh\nexport VIRTUALGHOST_FAKE_GUEST_VSOCK='22=tcp:127.0.0.1:" + port() + "'\nexec '" + fakeCh
                        + "' \"$@\"\n");
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwx------"));
        return w;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        sshd.close();
    }
}
