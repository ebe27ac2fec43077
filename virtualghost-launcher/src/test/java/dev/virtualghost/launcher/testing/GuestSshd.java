package dev.virtualghost.launcher.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The guest's sshd, minus the VM: a real OpenSSH {@code sshd} on a loopback port (the same approach as
 * virtualghost-vsock's {@code Sshd} fixture) with a fresh host key, whose authorized keys come from an
 * {@code AuthorizedKeysCommand} that reads {@code virtualghost.authorized_key=} from the kernel command line of
 * the VMs under a runtime root ({@code vm.info} on their API sockets). That command stands for the guest's
 * boot-time step of contract 5, which copies the key from {@code /proc/cmdline} into root's authorized_keys.
 *
 * <p>sshd requires the command and every directory above it to be root-owned and not group/other writable, so
 * the fixture's directory lives under {@code target/}, not {@code /tmp}.
 */
public final class GuestSshd implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    private static final Path CURL = Path.of("/usr/bin/curl");

    private final Path dir;
    private final Process process;
    private final int port;
    private final String hostKeyLine;

    private GuestSshd(Path dir, Process process, int port, String hostKeyLine) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.hostKeyLine = hostKeyLine;
    }

    /** Why this fixture cannot run here, or null when it can (sshd, ssh-keygen, curl installed, running as root). */
    public static String missingReason() {
        for (Path p : List.of(SSHD, SSH_KEYGEN, CURL)) {
            if (!Files.isExecutable(p)) {
                return p + " missing: apt-get install openssh-server openssh-client curl";
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "sshd's AuthorizedKeysCommand needs root to run the fixture";
        }
        return null;
    }

    /** Starts sshd for the VMs under {@code runtimeRoot} and waits until it accepts TCP connections. */
    public static GuestSshd start(Path runtimeRoot) throws IOException, InterruptedException {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Path dir = Files.createTempDirectory(
                target,
                "guest-sshd-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createDirectories(Path.of("/run/sshd"));
        Process p = null;
        try {
            Path hostKey = dir.resolve("ssh_host_ed25519_key");
            exec(List.of(
                    SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "guest", "-f", hostKey.toString()));
            Path keys = dir.resolve("authorized-keys-from-cmdline");
            Files.writeString(
                    keys,
                    String.join(
                            "\n",
                            "#!/bin/sh",
                            "for s in '" + runtimeRoot + "'/runs/*/vmm/api.sock; do",
                            "  [ -S \"$s\" ] && " + CURL + " -s --unix-socket \"$s\" http://localhost/api/v1/vm.info",
                            "done | grep -o 'virtualghost.authorized_key=[^ \"]*' | sed 's/^virtualghost.authorized_key=//;"
                                    + " s/:/ /'",
                            ""));
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
            int port = freePort();
            Path config = dir.resolve("sshd_config");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "Port " + port,
                            "ListenAddress 127.0.0.1",
                            "HostKey " + hostKey,
                            "PidFile " + dir.resolve("sshd.pid"),
                            "AuthorizedKeysFile none",
                            "AuthorizedKeysCommand " + keys,
                            "AuthorizedKeysCommandUser root",
                            "UsePAM no",
                            "PasswordAuthentication no",
                            "KbdInteractiveAuthentication no",
                            "PubkeyAuthentication yes",
                            "PermitRootLogin prohibit-password",
                            "Subsystem sftp internal-sftp",
                            "LogLevel ERROR",
                            ""));
            p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sshd.log").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                if (!p.isAlive()) {
                    throw new IOException(
                            "sshd exited with " + p.exitValue() + ": " + Files.readString(dir.resolve("sshd.log")));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    break;
                } catch (IOException notYet) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IOException("sshd did not listen on port " + port + " within 10 s");
                    }
                    Thread.sleep(20);
                }
            }
            String line =
                    Files.readString(dir.resolve("ssh_host_ed25519_key.pub")).trim();
            return new GuestSshd(dir, p, port, line);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (p != null) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            deleteTree(dir);
            throw e;
        }
    }

    /** The loopback port sshd listens on. */
    public int port() {
        return port;
    }

    /** The host key as {@code ssh-ed25519 AAAA...} (comment dropped). */
    public String hostKey() {
        String[] parts = hostKeyLine.split("\\s+");
        return parts[0] + " " + parts[1];
    }

    /** What sshd logged. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    /**
     * Writes a {@code cloud-hypervisor} wrapper into this fixture's directory that runs {@code fakeCh} with the
     * guest's vsock port 22 wired to this sshd (contract 3, {@code VIRTUALGHOST_FAKE_GUEST_VSOCK}).
     */
    public Path wrapFakeCh(Path fakeCh) throws IOException {
        Path w = dir.resolve("cloud-hypervisor");
        Files.writeString(
                w,
                "#!/bin/sh\nexport VIRTUALGHOST_FAKE_GUEST_VSOCK='22=tcp:127.0.0.1:" + port + "'\nexec '" + fakeCh
                        + "' \"$@\"\n");
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwx------"));
        return w;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        deleteTree(dir);
    }

    private static void exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
