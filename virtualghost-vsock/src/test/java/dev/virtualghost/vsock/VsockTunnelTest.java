package dev.virtualghost.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.vsock.internal.HalfClose;
import dev.virtualghost.vsock.testing.EchoServer;
import dev.virtualghost.vsock.testing.FakeHybridVsock;
import dev.virtualghost.vsock.testing.Leaks;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The tunnel: local TCP or Unix socket -> {@link FakeHybridVsock} (CH's muxer) -> a guest echo/sink server. Every
 * case runs twice: with splice(2) in the kernel (the default on Linux) and with the JVM copy fallback.
 */
class VsockTunnelTest {

    private static final int ECHO_PORT = 7;
    private static final int SINK_PORT = 9;

    @TempDir
    Path tmp;

    private FakeHybridVsock vsock;
    private EchoServer echo;
    private EchoServer sink;
    private HybridVsockDialer dialer;

    @BeforeEach
    void start() throws Exception {
        vsock = FakeHybridVsock.start();
        echo = EchoServer.start(EchoServer.Mode.ECHO);
        sink = EchoServer.start(EchoServer.Mode.SINK);
        vsock.listen(ECHO_PORT, echo.address(), false);
        vsock.listen(SINK_PORT, sink.address(), false);
        dialer = HybridVsockDialer.builder()
                .socket(vsock.socket())
                .deadline(Duration.ofSeconds(10))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        sink.close();
        echo.close();
        vsock.close();
    }

    @ParameterizedTest(name = "zeroCopy={0}")
    @ValueSource(booleans = {true, false})
    void carriesThousandConcurrentConnectionsWithoutLeaks(boolean zeroCopy) throws Exception {
        int fdsBefore = Leaks.openFds();
        int threadsBefore = threadsButFixturePools();
        int n = 1000;
        ExecutorService clients = Executors.newFixedThreadPool(64);
        try (VsockTunnel tunnel = VsockTunnel.builder()
                .dialer(dialer)
                .guestPort(ECHO_PORT)
                .zeroCopy(zeroCopy)
                .build()) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), tunnel.localPort());
            // Open all 1,000 first so they are really concurrent, then talk on each.
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    Socket s = new Socket();
                    s.connect(at, 5000);
                    s.setSoTimeout(20_000);
                    sockets.add(s);
                }
                List<Future<String>> replies = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Socket s = sockets.get(i);
                    String msg = "hello " + i;
                    replies.add(clients.submit(() -> {
                        s.getOutputStream().write(msg.getBytes(StandardCharsets.US_ASCII));
                        s.shutdownOutput();
                        return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    }));
                }
                for (int i = 0; i < n; i++) {
                    assertThat(replies.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("hello " + i);
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            assertThat(vsock.connectRequests()).isEqualTo(n);
            assertThat(Leaks.settle(tunnel::activeConnections, 0, 5000)).isZero();
        } finally {
            clients.shutdownNow();
            clients.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(Leaks.settle(vsock::openSockets, 0, 5000)).isZero();
        // fds must be back to (near) where they were. Threads: the fake muxer's and the echo server's cached pools
        // keep idle threads up to 60 s (how many depends on scheduling), so those fixture threads are not counted;
        // every other thread, the tunnel's included, must be gone.
        assertThat(Leaks.settle(Leaks::openFds, fdsBefore + 16, 5000)).isLessThanOrEqualTo(fdsBefore + 16);
        assertThat(Leaks.settle(VsockTunnelTest::threadsButFixturePools, threadsBefore + 8, 5000))
                .isLessThanOrEqualTo(threadsBefore + 8);
    }

    @ParameterizedTest(name = "zeroCopy={0}")
    @ValueSource(booleans = {true, false})
    void closingTunnelStopsItsThreadsAndSockets(boolean zeroCopy) throws Exception {
        int threadsBefore = Leaks.liveThreads();
        int fdsBefore = Leaks.openFds();
        VsockTunnel tunnel = VsockTunnel.builder()
                .dialer(dialer)
                .guestPort(ECHO_PORT)
                .zeroCopy(zeroCopy)
                .build();
        Socket s = new Socket(InetAddress.getLoopbackAddress(), tunnel.localPort());
        s.getOutputStream().write('x');
        assertThat(s.getInputStream().read()).isEqualTo('x');
        tunnel.close();
        // The open connection is torn down by close(): the client sees EOF, not a hang.
        s.setSoTimeout(5000);
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        s.close();
        assertThat(Leaks.settle(vsock::openSockets, 0, 5000)).isZero();
        String tunnelThreads = "vsock-tunnel";
        assertThat(Leaks.settle(
                        () -> (int) Thread.getAllStackTraces().keySet().stream()
                                .filter(t -> t.getName().contains(tunnelThreads))
                                .count(),
                        0,
                        5000))
                .isZero();
        assertThat(Leaks.settle(Leaks::openFds, fdsBefore + 4, 5000)).isLessThanOrEqualTo(fdsBefore + 4);
        assertThat(Leaks.liveThreads()).isLessThanOrEqualTo(threadsBefore + 8);
    }

    @ParameterizedTest(name = "zeroCopy={0}")
    @ValueSource(booleans = {true, false})
    void halfCloseFromLocalSideReachesGuestAndReplyStillFlows(boolean zeroCopy) throws Exception {
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(1).nextBytes(payload);
        try (VsockTunnel tunnel = VsockTunnel.builder()
                        .dialer(dialer)
                        .guestPort(SINK_PORT)
                        .zeroCopy(zeroCopy)
                        .build();
                Socket s = new Socket(InetAddress.getLoopbackAddress(), tunnel.localPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(payload);
            s.shutdownOutput(); // local EOF -> tunnel must shutdownOutput toward the guest, not close
            byte[] reply = s.getInputStream().readAllBytes(); // the sink answers only after it sees EOF
            assertThat(ByteBuffer.wrap(reply).getLong()).isEqualTo(payload.length);
            assertThat(reply).hasSize(8);
        }
    }

    @ParameterizedTest(name = "zeroCopy={0}")
    @ValueSource(booleans = {true, false})
    void halfCloseFromGuestSideReachesLocalAndUploadStillFlows(boolean zeroCopy) throws Exception {
        // Guest writes a greeting then shuts its output; the local client must see EOF yet still be able to send.
        try (java.net.ServerSocket guest = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            vsock.listen(11, new InetSocketAddress(InetAddress.getLoopbackAddress(), guest.getLocalPort()), false);
            try (VsockTunnel tunnel = VsockTunnel.builder()
                            .dialer(dialer)
                            .guestPort(11)
                            .zeroCopy(zeroCopy)
                            .build();
                    Socket local = new Socket(InetAddress.getLoopbackAddress(), tunnel.localPort())) {
                local.setSoTimeout(10_000);
                try (Socket g = guest.accept()) {
                    g.setSoTimeout(10_000);
                    g.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
                    g.shutdownOutput();
                    assertThat(new String(local.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                            .isEqualTo("bye");
                    OutputStream out = local.getOutputStream();
                    out.write("still here".getBytes(StandardCharsets.US_ASCII));
                    local.shutdownOutput();
                    assertThat(new String(g.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                            .isEqualTo("still here");
                }
            }
        }
    }

    @ParameterizedTest(name = "zeroCopy={0}")
    @ValueSource(booleans = {true, false})
    void unixSocketTunnelWorksAndRemovesItsFile(boolean zeroCopy) throws Exception {
        Path path = tmp.resolve("guest7.sock");
        try (VsockTunnel tunnel = VsockTunnel.builder()
                .dialer(dialer)
                .guestPort(ECHO_PORT)
                .zeroCopy(zeroCopy)
                .unix(path)
                .build()) {
            assertThat(tunnel.localPort()).isEqualTo(-1);
            assertThat(tunnel.localAddress()).isEqualTo(AFUNIXSocketAddress.of(path));
            assertThat(Files.getPosixFilePermissions(path))
                    .as("only the owner may reach the guest port")
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path))) {
                s.getOutputStream().write("via unix".getBytes(StandardCharsets.US_ASCII));
                HalfClose.shutdownOutput(s);
                InputStream in = s.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("via unix");
            }
        }
        assertThat(Files.exists(path)).isFalse();
        assertThat(tmp).as("no private directory left behind").isEmptyDirectory();
    }

    @ParameterizedTest(name = "zeroCopy={0}")
    @ValueSource(booleans = {true, false})
    void connectionsBeyondTheCapAreRefusedAndCounted(boolean zeroCopy) throws Exception {
        try (VsockTunnel tunnel = VsockTunnel.builder()
                .dialer(dialer)
                .guestPort(ECHO_PORT)
                .zeroCopy(zeroCopy)
                .maxConnections(2)
                .build()) {
            Socket a = new Socket(InetAddress.getLoopbackAddress(), tunnel.localPort());
            Socket b = new Socket(InetAddress.getLoopbackAddress(), tunnel.localPort());
            for (Socket s : new Socket[] {a, b}) {
                s.setSoTimeout(5000);
                s.getOutputStream().write('x');
                assertThat(s.getInputStream().read())
                        .as("echoed through the tunnel")
                        .isEqualTo('x');
            }
            try (Socket third = new Socket(InetAddress.getLoopbackAddress(), tunnel.localPort())) {
                third.setSoTimeout(5000);
                assertThat(third.getInputStream().read()).as("closed at once").isEqualTo(-1);
            }
            assertThat(tunnel.refusedConnections()).isEqualTo(1);
            a.close();
            assertThat(Leaks.settle(tunnel::activeConnections, 1, 2000)).isEqualTo(1);
            try (Socket again = new Socket(InetAddress.getLoopbackAddress(), tunnel.localPort())) {
                again.setSoTimeout(5000);
                again.getOutputStream().write('y');
                assertThat(again.getInputStream().read()).isEqualTo('y');
            }
            b.close();
        }
    }

    @Test
    void aUnixTunnelCapsItsConnectionsToo() throws Exception {
        Path path = tmp.resolve("capped.sock");
        try (VsockTunnel tunnel = VsockTunnel.builder()
                        .dialer(dialer)
                        .guestPort(ECHO_PORT)
                        .unix(path)
                        .maxConnections(1)
                        .build();
                AFUNIXSocket first = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path))) {
            first.setSoTimeout(5000);
            first.getOutputStream().write('u');
            assertThat(first.getInputStream().read()).isEqualTo('u');
            try (AFUNIXSocket second = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path))) {
                second.setSoTimeout(5000);
                assertThat(second.getInputStream().read()).as("closed at once").isEqualTo(-1);
            }
            assertThat(tunnel.refusedConnections()).isEqualTo(1);
        }
    }

    @Test
    void theDefaultCapIsWhatCloudHypervisorAllows() {
        assertThat(VsockTunnel.CH_MAX_CONNECTIONS).isEqualTo(1023);
        assertThatThrownBy(() -> VsockTunnel.builder().maxConnections(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "zeroCopy={0}")
    @ValueSource(booleans = {true, false})
    void guestNotListeningClosesLocalConnection(boolean zeroCopy) throws Exception {
        HybridVsockDialer quick =
                dialer.newBuilder().deadline(Duration.ofMillis(200)).build();
        try (VsockTunnel tunnel = VsockTunnel.builder()
                        .dialer(quick)
                        .guestPort(4444)
                        .zeroCopy(zeroCopy)
                        .build();
                Socket s = new Socket(InetAddress.getLoopbackAddress(), tunnel.localPort())) {
            s.setSoTimeout(5000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Leaks.settle(tunnel::activeConnections, 0, 2000)).isZero();
        }
    }

    @Test
    void zeroCopyIsAvailableOnLinux() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                System.getProperty("os.name").toLowerCase().contains("linux"), "splice(2) exists only on Linux");
        assertThat(dev.virtualghost.vsock.internal.ZeroCopyRelay.available())
                .as("JNA loads libc and pipe2(2) works, so tunnels splice instead of copying")
                .isTrue();
    }

    @ParameterizedTest(name = "zeroCopy={0}")
    @ValueSource(booleans = {true, false})
    @org.junit.jupiter.api.Timeout(30) // a tunnel that never passes the reset on would block the writes below
    void guestDyingMidTransferClosesLocalSideWithoutLeaks(boolean zeroCopy) throws Exception {
        int fdsBefore = Leaks.openFds();
        try (java.net.ServerSocket guest = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            vsock.listen(12, new InetSocketAddress(InetAddress.getLoopbackAddress(), guest.getLocalPort()), false);
            try (VsockTunnel tunnel = VsockTunnel.builder()
                            .dialer(dialer)
                            .guestPort(12)
                            .zeroCopy(zeroCopy)
                            .build();
                    Socket local = new Socket(InetAddress.getLoopbackAddress(), tunnel.localPort())) {
                local.setSoTimeout(10_000);
                Socket g = guest.accept();
                local.getOutputStream().write(new byte[64 * 1024]);
                g.getInputStream().readNBytes(1024);
                g.setSoLinger(true, 0); // close with RST: the guest process died
                g.close();
                // The local client must see the end (EOF or reset), not hang, while it keeps writing.
                assertThat(endsWithin(local)).isTrue();
                assertThat(Leaks.settle(tunnel::activeConnections, 0, 5000)).isZero();
            }
        }
        assertThat(Leaks.settle(vsock::openSockets, 0, 5000)).isZero();
        assertThat(Leaks.settle(Leaks::openFds, fdsBefore + 4, 5000)).isLessThanOrEqualTo(fdsBefore + 4);
    }

    /** Live threads, without the idle pool threads of {@link FakeHybridVsock} and {@link EchoServer}. */
    private static int threadsButFixturePools() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t ->
                        !t.getName().startsWith("fake-vsock-") && !t.getName().startsWith("echo-"))
                .count();
    }

    private static boolean endsWithin(Socket local) {
        try {
            byte[] junk = new byte[64 * 1024];
            for (int i = 0; i < 200; i++) {
                local.getOutputStream().write(junk);
            }
            return local.getInputStream().read() == -1;
        } catch (java.io.IOException resetOrBrokenPipe) {
            return true;
        }
    }
}
