package dev.virtualghost.vsock.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSSH {@code sshd} (Debian {@code openssh-server}) run as a child on a loopback port with its own
 * config, host key, authorized_keys and pid file in a private temp directory: the guest's sshd, minus the VM.
 *
 * <p>Not thread-safe for {@link #authorize}; the caller closes it, which kills sshd (SIGTERM, then SIGKILL)
 * and deletes the directory.
 */
public final class Sshd implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

    private final Path dir;
    private final Process process;
    private final int port;
    private final String hostKeyLine;

    private Sshd(Path dir, Process process, int port, String hostKeyLine) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.hostKeyLine = hostKeyLine;
    }

    /** Whether the binaries this fixture needs are installed. */
    public static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(SSH_KEYGEN);
    }

    /** Starts sshd and waits (up to 10 s) until it accepts TCP connections. */
    public static Sshd start() throws IOException, InterruptedException {
        return start(null, dir -> List.of());
    }

    /**
     * {@link #start()} with the fixture's private directory created under {@code parent} (null: the temp directory)
     * and {@code leadingConfig(dir)} placed first in sshd_config. sshd keeps the first value of a keyword, so these
     * lines override the defaults (e.g. an {@code AuthorizedKeysCommand}, which sshd only runs when it and every
     * directory above it are root-owned and not group/other writable: hence a parent other than {@code /tmp}).
     */
    public static Sshd start(Path parent, java.util.function.Function<Path, List<String>> leadingConfig)
            throws IOException, InterruptedException {
        if (!available()) {
            throw new IllegalStateException(SSHD + " or " + SSH_KEYGEN + " missing: apt-get install openssh-server");
        }
        Path run = Path.of("/run/sshd");
        if (!Files.isDirectory(run)) {
            // sshd's privilege separation directory; Debian's init script creates it, we start sshd by hand.
            Files.createDirectories(run);
        }
        java.nio.file.attribute.FileAttribute<?> privateDir =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Path dir = parent == null
                ? Files.createTempDirectory("vg-sshd-", privateDir)
                : Files.createTempDirectory(Files.createDirectories(parent), "vg-sshd-", privateDir);
        Process p = null;
        try {
            Path hostKey = dir.resolve("ssh_host_ed25519_key");
            run(List.of(
                    SSH_KEYGEN.toString(),
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-C",
                    "fake-guest",
                    "-f",
                    hostKey.toString()));
            Files.writeString(dir.resolve("authorized_keys"), "");
            int port = freePort();
            Path config = dir.resolve("sshd_config");
            List<String> lines = new java.util.ArrayList<>(leadingConfig.apply(dir));
            lines.addAll(List.of(
                    "Port " + port,
                    "ListenAddress 127.0.0.1",
                    "HostKey " + hostKey,
                    "PidFile " + dir.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                    "UsePAM no",
                    "StrictModes no",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication yes",
                    "PermitRootLogin prohibit-password",
                    "MaxStartups 200",
                    "MaxSessions 100",
                    "Subsystem sftp internal-sftp",
                    "LogLevel ERROR",
                    ""));
            Files.writeString(config, String.join("\n", lines));
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
            return new Sshd(dir, p, port, line);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (p != null) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            deleteTree(dir);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** The server's host key as an OpenSSH public key line. */
    public String hostKeyLine() {
        return hostKeyLine;
    }

    /** The user sshd authenticates (this process's user). */
    public String user() {
        return System.getProperty("user.name");
    }

    public Path directory() {
        return dir;
    }

    /** What sshd has logged so far (LogLevel ERROR: refused requests and failures). */
    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    /** Adds a line to authorized_keys. */
    public void authorize(String publicKeyLine) throws IOException {
        Files.writeString(
                dir.resolve("authorized_keys"),
                publicKeyLine + "\n",
                StandardCharsets.US_ASCII,
                StandardOpenOption.APPEND);
    }

    /** Writes a known_hosts file naming this server's key for {@code hostName}. */
    public Path writeKnownHosts(String hostName) throws IOException {
        Path f = dir.resolve("known_hosts");
        Files.writeString(f, hostName + " " + hostKeyLine + "\n");
        return f;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        // Session children of sshd die with their connections; the listener is this process.
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        deleteTree(dir);
    }

    static void run(List<String> cmd) throws IOException, InterruptedException {
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

    static void deleteTree(Path dir) throws IOException {
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
