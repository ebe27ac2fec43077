package dev.virtualghost.benchmarks.vsock;

import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.VsockTunnel;
import dev.virtualghost.vsock.ssh.EphemeralKey;
import dev.virtualghost.vsock.ssh.ExecResult;
import dev.virtualghost.vsock.ssh.GuestSsh;
import dev.virtualghost.vsock.testing.FakeHybridVsock;
import dev.virtualghost.vsock.testing.Sshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link GuestSsh} against OpenSSH's own clients, both talking to the same real {@code sshd} behind
 * {@link FakeHybridVsock}. What each op includes:
 *
 * <ul>
 *   <li>{@code guestSshExec}: in this JVM, a whole session: dial (CONNECT/OK), key exchange, publickey auth
 *       (ed25519), exec {@code true}, read exit status, disconnect.
 *   <li>{@code opensshExec}: one {@code ssh ... true} process (fork/exec of ssh included), same key, same
 *       pinned host key (StrictHostKeyChecking=yes), connecting to the {@link VsockTunnel}'s loopback port,
 *       which dials the same fake (one extra local TCP hop; microseconds against a ~100 ms session).
 *   <li>{@code guestSshExecWarm}: exec {@code true} on an already-open GuestSsh session (no OpenSSH peer
 *       without ControlMaster; for information).
 *   <li>{@code guestSshUpload} / {@code opensshSftpUpload}: a whole session plus an SFTP upload of 32 MiB
 *       (GuestSsh in-JVM; {@code sftp -b} as a process, through the tunnel port).
 * </ul>
 *
 * <p>Same algorithms on both arms: left alone, OpenSSH 9.2 would pick sntrup761x25519-sha512 and
 * chacha20-poly1305 while JSch picks others, and the comparison would measure the algorithms, not the
 * clients. Both pin {@value #KEX} key exchange, {@value #CIPHER} (AES-NI through the JCE on the JSch side)
 * and {@value #MAC} as MAC (negotiated but unused with an AEAD cipher), and an {@value #HOST_KEY} host key:
 * JSch through {@link GuestSsh.Builder#jschConfig}, {@code ssh}/{@code sftp} through {@code -o} options.
 *
 * <p>Ratios: {@code guestSshExec / opensshExec} time (target at most 1.1); {@code opensshSftpUpload /
 * guestSshUpload} time = GuestSsh throughput relative to sftp (target at least 0.8).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar GuestSshBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GuestSshBenchmark {

    private static final int SSH_PORT = 22;
    private static final int UPLOAD_BYTES = 32 * 1024 * 1024;
    static final String KEX = "curve25519-sha256";
    static final String CIPHER = "aes128-gcm@openssh.com";
    static final String MAC = "hmac-sha2-256-etm@openssh.com";
    static final String HOST_KEY = "ssh-ed25519";

    private Sshd sshd;
    private FakeHybridVsock vsock;
    private EphemeralKey key;
    private HybridVsockDialer dialer;
    private VsockTunnel tunnel;
    private GuestSsh warm;
    private Path work;
    private Path upload;
    private Path knownHosts;
    private Path batch;
    private Path remoteDir;

    @Setup
    public void setUp() throws Exception {
        if (!Sshd.available()) {
            throw new IllegalStateException(Sshd.SSHD + " missing: apt-get install openssh-server openssh-client");
        }
        sshd = Sshd.start();
        vsock = FakeHybridVsock.start();
        vsock.listen(SSH_PORT, sshd.address(), true);
        key = EphemeralKey.generate();
        sshd.authorize(key.publicKeyLine());
        dialer = HybridVsockDialer.builder()
                .socket(vsock.socket())
                .deadline(Duration.ofSeconds(10))
                .build();
        tunnel = VsockTunnel.builder().dialer(dialer).guestPort(SSH_PORT).build();
        warm = session();
        work = Files.createTempDirectory(
                "vg-bench-ssh-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        upload = work.resolve("upload.bin");
        byte[] data = new byte[UPLOAD_BYTES];
        new Random(42).nextBytes(data);
        Files.write(upload, data);
        remoteDir = Files.createDirectory(work.resolve("remote"));
        knownHosts = work.resolve("known_hosts");
        Files.writeString(knownHosts, "guest " + sshd.hostKeyLine() + "\n");
        batch = work.resolve("batch");
        Files.writeString(batch, "put " + upload + " " + remoteDir.resolve("by-sftp.bin") + "\n");
    }

    @TearDown
    public void tearDown() throws Exception {
        warm.close();
        tunnel.close();
        key.close();
        vsock.close();
        sshd.close();
        try (Stream<Path> w = Files.walk(work)) {
            for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private GuestSsh session() {
        return GuestSsh.builder()
                .dialer(dialer)
                .port(SSH_PORT)
                .user(sshd.user())
                .hostKey(sshd.hostKeyLine())
                .identity(key)
                .connectTimeout(Duration.ofSeconds(10))
                .jschConfig("kex", KEX)
                .jschConfig("cipher.c2s", CIPHER)
                .jschConfig("cipher.s2c", CIPHER)
                .jschConfig("mac.c2s", MAC)
                .jschConfig("mac.s2c", MAC)
                .connect();
    }

    @Benchmark
    public int guestSshExec() {
        try (GuestSsh s = session()) {
            return check(s.exec("true", Duration.ofSeconds(10)));
        }
    }

    @Benchmark
    public int guestSshExecWarm() {
        return check(warm.exec("true", Duration.ofSeconds(10)));
    }

    @Benchmark
    public int opensshExec() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", Integer.toString(tunnel.localPort())));
        cmd.addAll(commonOptions());
        cmd.addAll(List.of(sshd.user() + "@127.0.0.1", "true"));
        return run(cmd);
    }

    @Benchmark
    public long guestSshUpload() {
        try (GuestSsh s = session()) {
            s.upload(upload, remoteDir.resolve("by-guestssh.bin").toString(), Duration.ofSeconds(60));
            return UPLOAD_BYTES;
        }
    }

    @Benchmark
    public int opensshSftpUpload() throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of("sftp", "-q", "-b", batch.toString(), "-P", Integer.toString(tunnel.localPort())));
        cmd.addAll(commonOptions());
        cmd.add(sshd.user() + "@127.0.0.1");
        return run(cmd);
    }

    private List<String> commonOptions() {
        return List.of(
                "-F",
                "/dev/null",
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "HostKeyAlias=guest",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "KexAlgorithms=" + KEX,
                "-o",
                "Ciphers=" + CIPHER,
                "-o",
                "MACs=" + MAC,
                "-o",
                "HostKeyAlgorithms=" + HOST_KEY,
                "-i",
                key.privateKeyPath().toString());
    }

    private static int check(ExecResult r) {
        if (r.exitStatus() != 0) {
            throw new IllegalStateException("exec failed: " + r.exitStatus() + " " + r.stderrText());
        }
        return r.exitStatus();
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd.get(0) + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
        }
        return p.exitValue();
    }
}
