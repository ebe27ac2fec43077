package dev.virtualghost.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.virtualghost.vsock.testing.EchoServer;
import dev.virtualghost.vsock.testing.FakeHybridVsock;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The dialer against {@link FakeHybridVsock}, which answers CONNECT the way CH's muxer.rs does. */
class HybridVsockDialerTest {

    @TempDir
    Path dir;

    private FakeHybridVsock vsock;
    private EchoServer echo;

    @BeforeEach
    void start() throws Exception {
        vsock = FakeHybridVsock.start();
        echo = EchoServer.start(EchoServer.Mode.ECHO);
    }

    @AfterEach
    void stop() throws Exception {
        echo.close();
        vsock.close();
    }

    private HybridVsockDialer.Builder dialer() {
        return HybridVsockDialer.builder()
                .socket(vsock.socket())
                .dialTimeout(Duration.ofSeconds(1))
                .ackTimeout(Duration.ofSeconds(1))
                .retryInterval(Duration.ofMillis(50))
                .deadline(Duration.ofSeconds(5));
    }

    @Test
    void dialReturnsHostPortFromAckAndCarriesBytes() throws Exception {
        vsock.listen(1234, echo.address(), false);
        try (VsockConnection c = dialer().build().dial(1234)) {
            // muxer.rs allocates host-side ports from 1 << 30 upwards.
            assertThat(c.hostPort()).isGreaterThanOrEqualTo(1 << 30);
            assertThat(c.guestPort()).isEqualTo(1234);
            c.outputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            assertThat(new String(c.inputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("ping");
        }
    }

    @Test
    void guestFirstBytesInTheAckSegmentAreNotSwallowed() throws Exception {
        // A guest that speaks first (like sshd): the fake sends "OK n\n" and this banner in ONE write.
        try (ServerSocket banner = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = banner.accept();
                        OutputStream out = s.getOutputStream()) {
                    out.write("SSH-2.0-Fake\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    s.getInputStream().read();
                } catch (Exception ignored) {
                    // test side asserts
                }
            });
            t.start();
            vsock.listen(22, new InetSocketAddress(InetAddress.getLoopbackAddress(), banner.getLocalPort()), true);
            try (VsockConnection c = dialer().build().dial(22)) {
                InputStream in = c.inputStream();
                byte[] got = in.readNBytes("SSH-2.0-Fake\r\n".length());
                assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-Fake\r\n");
            }
            t.join(5000);
        }
    }

    @Test
    void dialRetriesUntilGuestListens() {
        vsock.listenAfter(5000, echo.address(), false, Duration.ofMillis(400));
        long start = System.nanoTime();
        try (VsockConnection c = dialer().build().dial(5000)) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
            assertThat(vsock.connectRequests()).isGreaterThan(1);
            assertThat(c.isClosed()).isFalse();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void dialRetriesUntilSocketFileAppears() throws Exception {
        // CH creates the socket only when the VM is created: the dialer must wait for the file, then connect.
        Path later = dir.resolve("later.sock");
        Duration delay = Duration.ofMillis(400);
        AtomicReference<FakeHybridVsock> appeared = new AtomicReference<>();
        Thread ch = new Thread(() -> {
            try {
                Thread.sleep(delay.toMillis());
                FakeHybridVsock f = FakeHybridVsock.startAt(null, later);
                f.listen(7, echo.address(), false);
                appeared.set(f);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(later).doesNotExist();
        long start = System.nanoTime();
        ch.start();
        try (VsockConnection c = dialer().socket(later).build().dial(7)) {
            // The first attempt saw no file (ENOENT) and the dial only succeeded after the file appeared, so it
            // took more than one attempt; the fake saw exactly the one CONNECT that reached it.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
            assertThat(appeared.get().connectRequests()).isEqualTo(1);
            c.outputStream().write('x');
            c.shutdownOutput();
            assertThat(c.inputStream().readAllBytes()).containsExactly('x');
        } finally {
            ch.join(5000);
            if (appeared.get() != null) {
                appeared.get().close();
            }
        }
    }

    @Test
    void silentPeerFailsWithinTheDeadlineNotTheStepTimeouts() throws Exception {
        // Accepts (via the backlog) and never answers: each step limit alone would allow 5 s.
        Path quiet = dir.resolve("quiet.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.bind(AFUNIXSocketAddress.of(quiet));
            HybridVsockDialer d = dialer().socket(quiet)
                    .dialTimeout(Duration.ofSeconds(5))
                    .ackTimeout(Duration.ofSeconds(5))
                    .deadline(Duration.ofMillis(600))
                    .build();
            long start = System.nanoTime();
            assertThatThrownBy(() -> d.dial(22))
                    .isInstanceOfSatisfying(
                            VsockDialException.class,
                            e -> assertThat(e.getMessage())
                                    .contains("the guest did not answer CONNECT 22 within 600 ms: is its"
                                            + " vsock driver up and is anything listening on port 22?"));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(550), Duration.ofMillis(600 + 250));
        }
    }

    @Test
    void ackTimeoutShorterThanTheDeadlineFailsAtOnceWithAHint() throws Exception {
        // A peer that never answers CONNECT (e.g. CH's HTTP API socket) will not start answering on retry.
        Path quiet = dir.resolve("api.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.bind(AFUNIXSocketAddress.of(quiet));
            HybridVsockDialer d = dialer().socket(quiet)
                    .ackTimeout(Duration.ofMillis(200))
                    .deadline(Duration.ofSeconds(10))
                    .build();
            long start = System.nanoTime();
            assertThatThrownBy(() -> d.dial(22)).isInstanceOfSatisfying(VsockDialException.class, e -> {
                assertThat(e.attempts()).isEqualTo(1);
                assertThat(e.getMessage())
                        .contains("the guest did not answer CONNECT 22 within 200 ms")
                        .contains("e.g. its API socket?");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void staleSocketFileIsRetriedAsConnectionRefused() throws Exception {
        // A socket file whose listener is gone (CH was killed): connect gives ECONNREFUSED, CH may come back.
        Path live = dir.resolve("live.sock");
        Path stale = dir.resolve("stale.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.bind(AFUNIXSocketAddress.of(live));
            Files.createLink(stale, live);
        }
        assertThat(stale).exists();
        HybridVsockDialer d =
                dialer().socket(stale).deadline(Duration.ofMillis(400)).build();
        assertThatThrownBy(() -> d.dial(1)).isInstanceOfSatisfying(VsockDialException.class, e -> {
            assertThat(e.attempts()).isGreaterThan(2);
            assertThat(e.getMessage()).contains("connection refused");
        });
    }

    @Test
    void regularFileAtSocketPathFailsAtOnce() throws Exception {
        // The kernel answers ECONNREFUSED for a non-socket file; the dialer stats the path and stops.
        Path file = Files.writeString(dir.resolve("not-a-socket"), "x");
        HybridVsockDialer d =
                dialer().socket(file).deadline(Duration.ofSeconds(10)).build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> d.dial(1)).isInstanceOfSatisfying(VsockDialException.class, e -> {
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.getMessage()).contains("not a socket");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void pathThroughARegularFileFailsAtOnce() throws Exception {
        // ENOTDIR: a misconfigured path, as real an errno as EACCES, and reproducible as root.
        Path file = Files.writeString(dir.resolve("plain"), "x");
        HybridVsockDialer d = dialer().socket(file.resolve("vsock.sock"))
                .deadline(Duration.ofSeconds(10))
                .build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> d.dial(1)).isInstanceOfSatisfying(VsockDialException.class, e -> {
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.getMessage()).contains("Not a directory");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void permissionDeniedFailsAtOnce() throws Exception {
        // EACCES: a listening socket inside a directory we may not search. Root (CAP_DAC_OVERRIDE) bypasses it.
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Path sock = locked.resolve("vsock.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.bind(AFUNIXSocketAddress.of(sock));
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
            try {
                // stat fails with EACCES unless this process bypasses permissions; then EACCES cannot be produced.
                assumeTrue(
                        !Files.exists(sock), "this process bypasses file permissions (root?): cannot produce EACCES");
                HybridVsockDialer d =
                        dialer().socket(sock).deadline(Duration.ofSeconds(10)).build();
                long start = System.nanoTime();
                assertThatThrownBy(() -> d.dial(1)).isInstanceOfSatisfying(VsockDialException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("permission denied");
                });
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            } finally {
                Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    @Test
    void deadlineExceededSaysAttemptsAndElapsed() {
        HybridVsockDialer d = dialer().deadline(Duration.ofMillis(500)).build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> d.dial(4321)).isInstanceOfSatisfying(VsockDialException.class, e -> {
            assertThat(e.attempts()).isGreaterThan(2);
            assertThat(e.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(450));
            assertThat(e.getMessage())
                    .contains(e.attempts() + " attempts")
                    .contains(" ms")
                    .contains("4321");
            assertThat(e.getCause()).isNotNull();
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void garbageInsteadOfOkIsAHandshakeErrorAtOnce() {
        vsock.answerGarbage(77, "HTTP/1.1 400 Bad Request\r\n\r\n");
        long start = System.nanoTime();
        assertThatThrownBy(
                        () -> dialer().deadline(Duration.ofSeconds(10)).build().dial(77))
                .isInstanceOf(VsockHandshakeException.class)
                .hasMessageContaining("77");
        assertThat(vsock.connectRequests()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void givingUpReportsTheRealCauseNotTheDeadlineShortenedLastAttempt() throws Exception {
        // The first attempt is closed before OK (CH: no guest listener yet); the next one gets silence until the
        // deadline. The cause to report is the close, not "no OK within 0 ms".
        Path flaky = dir.resolve("flaky.sock");
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.bind(AFUNIXSocketAddress.of(flaky));
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        java.net.Socket s = server.accept();
                        s.getInputStream().read(new byte[16]);
                        if (accepted.getAndIncrement() == 0) {
                            s.close();
                        } else {
                            held.add(s); // silent from now on
                        }
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            HybridVsockDialer d = dialer().socket(flaky)
                    .ackTimeout(Duration.ofSeconds(5))
                    .deadline(Duration.ofMillis(700))
                    .build();
            assertThatThrownBy(() -> d.dial(22)).isInstanceOfSatisfying(VsockDialException.class, e -> {
                assertThat(e.attempts()).isEqualTo(2);
                assertThat(e.getMessage())
                        .contains("closed before OK for port 22")
                        .contains("the last attempt got no answer before the deadline")
                        .doesNotContain("within 0 ms");
            });
        } finally {
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aGuestThatNeverAnswersIsNamedAsSuch() throws Exception {
        // The real CH with a guest that has no vsock driver: CONNECT gets neither OK nor a close.
        Path quiet = dir.resolve("silent.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.bind(AFUNIXSocketAddress.of(quiet));
            HybridVsockDialer d = dialer().socket(quiet)
                    .ackTimeout(Duration.ofSeconds(30))
                    .deadline(Duration.ofSeconds(1))
                    .build();
            assertThatThrownBy(() -> d.dial(22))
                    .isInstanceOfSatisfying(
                            VsockDialException.class,
                            e -> assertThat(e.getMessage())
                                    .contains("the guest did not answer CONNECT 22 within 1s: is its vsock"
                                            + " driver up and is anything listening on port 22?"));
        }
    }

    @Test
    void builderRejectsMisuse() {
        assertThatThrownBy(() -> HybridVsockDialer.builder().build())
                .isInstanceOfAny(NullPointerException.class, IllegalStateException.class);
        assertThatThrownBy(() -> HybridVsockDialer.builder().deadline(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deadline must be positive: PT-1S");
        assertThatThrownBy(() -> dialer().build().dial(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
