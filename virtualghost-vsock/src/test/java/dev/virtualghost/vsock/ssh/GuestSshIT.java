package dev.virtualghost.vsock.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.VsockDialException;
import dev.virtualghost.vsock.testing.FakeHybridVsock;
import dev.virtualghost.vsock.testing.HostCapabilities;
import dev.virtualghost.vsock.testing.Sshd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GuestSsh against a REAL OpenSSH sshd reached only through {@link FakeHybridVsock} (CH's muxer: sshd speaks
 * first, so its banner rides in the same segment as {@code OK n}). Skips when sshd is not installed.
 */
class GuestSshIT {

    private static final int SSH_PORT = 22;
    private static Sshd sshd;
    private static FakeHybridVsock vsock;
    private static EphemeralKey key;
    private static HybridVsockDialer dialer;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        if (!Sshd.available()) {
            return; // each test then skips with the reason (a class-level assumption would report 0 tests run)
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
    }

    @BeforeEach
    void requireSshd() {
        HostCapabilities.assumeSshd();
    }

    @AfterAll
    static void stop() throws Exception {
        if (key != null) {
            key.close();
        }
        if (vsock != null) {
            vsock.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    /** Everything but the host key pin. */
    private static GuestSsh.Builder unpinned() {
        return GuestSsh.builder()
                .dialer(dialer)
                .port(SSH_PORT)
                .user(sshd.user())
                .identity(key)
                .connectTimeout(Duration.ofSeconds(10));
    }

    private static GuestSsh.Builder ssh() {
        return unpinned().hostKey(sshd.hostKeyLine());
    }

    @Test
    void execReturnsExitCodeAndSeparateStdoutStderr() {
        try (GuestSsh s = ssh().connect()) {
            ExecResult r = s.exec("echo out; echo err >&2; exit 3", Duration.ofSeconds(10));
            assertThat(r.exitStatus()).isEqualTo(3);
            assertThat(r.stdoutText()).isEqualTo("out\n");
            assertThat(r.stderrText()).isEqualTo("err\n");
            assertThat(r.succeeded()).isFalse();
            ExecResult ok = s.exec("true", Duration.ofSeconds(10));
            assertThat(ok.exitStatus()).isZero();
            assertThat(ok.succeeded()).isTrue();
        }
    }

    @Test
    void streamingExecUsesCallerStreams() {
        try (GuestSsh s = ssh().connect()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = s.exec(
                    "tr a-z A-Z",
                    new ByteArrayInputStream("shout\n".getBytes(StandardCharsets.US_ASCII)),
                    out,
                    err,
                    Duration.ofSeconds(10));
            assertThat(code).isZero();
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("SHOUT\n");
        }
    }

    @Test
    void execTimeoutFailsAndKeepsSessionUsable() {
        try (GuestSsh s = ssh().connect()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.exec("sleep 30", Duration.ofMillis(500)))
                    .isInstanceOfSatisfying(
                            GuestSshException.class,
                            e -> assertThat(e.kind()).isEqualTo(GuestSshException.Kind.TIMEOUT))
                    .hasMessageContaining("sleep 30");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(s.exec("echo again", Duration.ofSeconds(10)).stdoutText())
                    .isEqualTo("again\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"%s", "%s; echo after"})
    void execTimeoutKillsTheRemoteCommand(String template) throws Exception {
        // A marker no other process on this shared machine has; for a non-PTY exec sshd sends no SIGHUP on close.
        // The compound form keeps the shell as the sleep's parent, so killing only the shell would not do.
        String sleep = "sleep 30." + (100_000 + new Random().nextInt(900_000));
        try (GuestSsh s = ssh().connect()) {
            assertThatThrownBy(() -> s.exec(String.format(template, sleep), Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(
                            GuestSshException.class,
                            e -> assertThat(e.kind()).isEqualTo(GuestSshException.Kind.TIMEOUT))
                    .hasMessageContaining("killed");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (running(sleep) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertThat(running(sleep))
                    .as("'%s' still running after the exec timed out; sshd log: %s", sleep, sshd.log())
                    .isFalse();
        }
    }

    @Test
    void streamingExecWithBlockingStdinLeavesNoThreadBehind() throws Exception {
        // Nobody ever writes to this pipe: a thread reading it blocks until interrupted.
        try (PipedOutputStream never = new PipedOutputStream();
                PipedInputStream stdin = new PipedInputStream(never);
                GuestSsh s = ssh().connect()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(s.exec("echo done", stdin, out, new ByteArrayOutputStream(), Duration.ofSeconds(10)))
                    .isZero();
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("done\n");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!stdinThreads().isEmpty() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(stdinThreads()).isEmpty();
        }
    }

    @Test
    void connectTimeoutBoundsTheDial() {
        // The dialer alone would wait 20 s for a socket file that never appears.
        HybridVsockDialer slow = HybridVsockDialer.builder()
                .socket(tmp.resolve("never.sock"))
                .deadline(Duration.ofSeconds(20))
                .build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> unpinned()
                        .dialer(slow)
                        .hostKey(sshd.hostKeyLine())
                        .connectTimeout(Duration.ofMillis(500))
                        .connect()
                        .close())
                .isInstanceOf(VsockDialException.class)
                .hasMessageContaining("never.sock");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void sftpTimeoutBoundsAStalledTransfer() throws Exception {
        // sshd's sftp server blocks opening a FIFO that has no writer: the transfer stalls remotely.
        Path fifo = tmp.resolve("stalled.fifo");
        run("mkfifo", fifo.toString());
        try (GuestSsh s = ssh().connect()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.download(fifo.toString(), tmp.resolve("got"), Duration.ofMillis(700)))
                    .isInstanceOfSatisfying(
                            GuestSshException.class,
                            e -> assertThat(e.kind()).isEqualTo(GuestSshException.Kind.TIMEOUT))
                    .hasMessageContaining("within 700 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(s.exec("echo still up", Duration.ofSeconds(10)).stdoutText())
                    .isEqualTo("still up\n");
        } finally {
            // O_RDWR never blocks on a FIFO: it releases the stalled sftp server (it reads EOF after this close).
            new RandomAccessFile(fifo.toFile(), "rw").close();
        }
    }

    @Test
    void jschConfigPinsAlgorithms() {
        // The set GuestSshBenchmark pins on both arms works against OpenSSH 9.2...
        try (GuestSsh s = ssh().jschConfig("kex", "curve25519-sha256")
                .jschConfig("cipher.c2s", "aes128-gcm@openssh.com")
                .jschConfig("cipher.s2c", "aes128-gcm@openssh.com")
                .jschConfig("mac.c2s", "hmac-sha2-256-etm@openssh.com")
                .jschConfig("mac.s2c", "hmac-sha2-256-etm@openssh.com")
                .connect()) {
            assertThat(s.exec("echo pinned", Duration.ofSeconds(10)).stdoutText())
                    .isEqualTo("pinned\n");
        }
        // ...and the setting is really applied: a key exchange sshd 9.2 no longer offers cannot connect.
        assertThatThrownBy(() -> ssh().jschConfig("kex", "diffie-hellman-group1-sha1")
                        .connect()
                        .close())
                .isInstanceOfSatisfying(
                        GuestSshException.class, e -> assertThat(e.kind()).isEqualTo(GuestSshException.Kind.CONNECT));
    }

    @Test
    void wrongHostKeyIsRejectedWithBothFingerprints() throws Exception {
        Path other = tmp.resolve("other");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        String wrong = Files.readString(tmp.resolve("other.pub")).trim();
        assertThatThrownBy(() -> unpinned().hostKey(wrong).connect().close())
                .isInstanceOfSatisfying(
                        GuestSshException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestSshException.Kind.HOST_KEY_MISMATCH))
                .hasMessageContaining("mismatch for vsock port 22")
                .hasMessageContaining("expected SHA256:")
                .hasMessageContaining("got SHA256:");
    }

    @Test
    void unknownHostKeyIsRejected() throws Exception {
        Path kh = tmp.resolve("known_hosts");
        Files.writeString(kh, "some-other-guest " + sshd.hostKeyLine() + "\n");
        assertThatThrownBy(() -> GuestSsh.builder()
                        .dialer(dialer)
                        .port(SSH_PORT)
                        .user(sshd.user())
                        .knownHosts(kh, "my-guest")
                        .identity(key)
                        .connect()
                        .close())
                .isInstanceOfSatisfying(
                        GuestSshException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestSshException.Kind.HOST_KEY_UNKNOWN))
                .hasMessageContaining("unknown guest host key SHA256:");
    }

    @Test
    void knownHostsEntryIsAccepted() throws Exception {
        Path kh = sshd.writeKnownHosts("my-guest");
        try (GuestSsh s = GuestSsh.builder()
                .dialer(dialer)
                .port(SSH_PORT)
                .user(sshd.user())
                .knownHosts(kh, "my-guest")
                .identity(key)
                .connect()) {
            assertThat(s.exec("echo hi", Duration.ofSeconds(10)).stdoutText()).isEqualTo("hi\n");
            assertThat(s.hostKeyFingerprint()).startsWith("SHA256:");
        }
    }

    @Test
    void wrongUserKeyIsRejectedClearly() {
        try (EphemeralKey stranger = EphemeralKey.generate()) {
            assertThatThrownBy(() -> ssh().identity(stranger).connect().close())
                    .isInstanceOfSatisfying(
                            GuestSshException.class, e -> assertThat(e.kind()).isEqualTo(GuestSshException.Kind.AUTH))
                    .hasMessageContaining("authentication as " + sshd.user())
                    .hasMessageContaining("authorized_keys");
        }
    }

    @Test
    void sftpUploadDownloadRoundTrip() throws Exception {
        byte[] data = new byte[2 * 1024 * 1024 + 3];
        new Random(7).nextBytes(data);
        Path local = tmp.resolve("up.bin");
        Files.write(local, data);
        Path remoteDir = Files.createTempDirectory(tmp, "remote");
        String remote = remoteDir.resolve("file.bin").toString();
        Path back = tmp.resolve("down.bin");
        try (GuestSsh s = ssh().connect()) {
            s.upload(local, remote, Duration.ofSeconds(20));
            assertThat(Files.readAllBytes(Path.of(remote))).isEqualTo(data);
            s.download(remote, back, Duration.ofSeconds(20));
        }
        assertThat(Files.readAllBytes(back)).isEqualTo(data);
    }

    @Test
    void nothingPinnedMeansRejected() {
        assertThatThrownBy(() -> unpinned().connect().close())
                .isInstanceOfSatisfying(
                        GuestSshException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestSshException.Kind.HOST_KEY_UNKNOWN));
    }

    @Test
    void shellGetsPtyOfTerminalSizeAndFollowsWindowChanges() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream keyboard = new PipedInputStream(keys, 4096);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (GuestSsh s = ssh().connect();
                Terminal t = TerminalBuilder.builder()
                        .system(false)
                        .streams(keyboard, screen)
                        .type("xterm")
                        .size(new Size(100, 30))
                        .build()) {
            ExecutorService typist = Executors.newSingleThreadExecutor();
            try {
                Future<?> typing = typist.submit(() -> {
                    keys.write("stty size\n".getBytes(StandardCharsets.US_ASCII));
                    keys.flush();
                    awaitScreen(screen, "30 100");
                    t.setSize(new Size(120, 40));
                    t.raise(Terminal.Signal.WINCH);
                    // The window-change request travels asynchronously to sshd; ask again until the shell sees the new
                    // size (bounded), rather than guessing how long a loaded machine needs.
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!screen.toString(StandardCharsets.US_ASCII).contains("40 120") && System.nanoTime() < end) {
                        keys.write("stty size\n".getBytes(StandardCharsets.US_ASCII));
                        keys.flush();
                        Thread.sleep(200);
                    }
                    keys.write("exit 5\n".getBytes(StandardCharsets.US_ASCII));
                    keys.flush();
                    return null;
                });
                int code = s.shell(t);
                typing.get(10, TimeUnit.SECONDS);
                assertThat(code).isEqualTo(5);
                assertThat(screen.toString(StandardCharsets.US_ASCII))
                        .contains("30 100")
                        .contains("40 120");
            } finally {
                keys.close();
                typist.shutdownNow();
            }
        }
    }

    private static void awaitScreen(ByteArrayOutputStream screen, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!screen.toString(StandardCharsets.US_ASCII).contains(text)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("terminal never showed " + text + ": " + screen);
            }
            Thread.sleep(10);
        }
    }

    private static boolean running(String commandLine) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-u", sshd.user(), "-f", "-x", commandLine)
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    /** Threads that copy an exec's stdin: ours, or JSch's own channel input thread. */
    private static List<String> stdinThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("guest-ssh-stdin") || n.startsWith("Exec thread"))
                .toList();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
    }
}
