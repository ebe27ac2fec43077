package dev.virtualghost.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VsockConfig;
import dev.virtualghost.ch.testkit.FakeCloudHypervisor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VsockTunnelExample} against the fake CH playing a guest with a vsock driver whose port 7000 leads to a
 * real local echo server: the stand-in for a guest service behind CH's hybrid vsock muxer, which answers
 * {@code CONNECT 7000} with {@code OK <n>} and relays the bytes as the real CH does.
 */
class VsockTunnelExampleTest {
    private static final Pattern FORWARDING =
            Pattern.compile("forwarding 127\\.0\\.0\\.1:(\\d+) -> guest vsock port 7000");

    private final Output out = new Output();
    private final Output err = new Output();

    @Test
    void aLocalConnectionReachesTheGuestPortAndStopClosesTheTunnel(@TempDir Path dir) throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (Exception e) {
                    // the test is over
                }
            });
            server.setDaemon(true);
            server.start();
            Path vsock = dir.resolve("vsock.sock");
            try (FakeCloudHypervisor ch = FakeCloudHypervisor.builder()
                            .socket(dir.resolve("api.sock"))
                            .guestVsockPort(7000, (InetSocketAddress) echo.getLocalSocketAddress())
                            .start();
                    ChClient api = ChClient.builder().socket(ch.socket()).build()) {
                // A kernel that is not a test guest stands for a Linux guest, vsock driver included.
                api.create(VmConfig.builder()
                        .payload(PayloadConfig.ofKernel("/boot/vmlinux", null))
                        .vsock(VsockConfig.of(3, vsock))
                        .build());
                api.boot();

                CountDownLatch stop = new CountDownLatch(1);
                CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> VsockTunnelExample.run(
                        new String[] {vsock.toString(), "7000"}, out.stream(), err.stream(), stop));
                int port = awaitPort();
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    s.setSoTimeout(5000);
                    OutputStream o = s.getOutputStream();
                    o.write("ping through the tunnel\n".getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    assertThat(in.readLine()).isEqualTo("ping through the tunnel");
                }
                stop.countDown();
                assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
                assertThat(out.text()).endsWith("stopped\n");
                assertThat(err.text()).isEmpty();
                try (Socket s = new Socket()) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000))
                            .as("the tunnel no longer listens")
                            .isInstanceOf(java.io.IOException.class);
                }
            }
        }
    }

    @Test
    void aMissingSocketIsOneErrorLine(@TempDir Path dir) {
        int status = VsockTunnelExample.run(
                new String[] {dir.resolve("vsock.sock").toString(), "22"},
                out.stream(),
                err.stream(),
                new CountDownLatch(0));
        assertThat(status).isEqualTo(1);
        assertThat(err.text()).hasLineCount(1).startsWith("error: ").contains("does not exist");
    }

    @Test
    void aLocalPortInUseIsOneErrorLine(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                FakeCloudHypervisor ch = FakeCloudHypervisor.builder()
                        .socket(dir.resolve("api.sock"))
                        .start();
                ChClient api = ChClient.builder().socket(ch.socket()).build()) {
            Path vsock = dir.resolve("vsock.sock");
            api.create(VmConfig.builder()
                    .payload(PayloadConfig.ofKernel("/boot/vmlinux", null))
                    .vsock(VsockConfig.of(3, vsock))
                    .build());
            api.boot();
            int status = VsockTunnelExample.run(
                    new String[] {vsock.toString(), "22", Integer.toString(taken.getLocalPort())},
                    out.stream(),
                    err.stream(),
                    new CountDownLatch(0));
            assertThat(status).isEqualTo(1);
            assertThat(err.text()).hasLineCount(1).startsWith("error: vsock tunnel: bind");
        }
    }

    @Test
    void badPortsAreRefused() {
        assertThat(VsockTunnelExample.run(
                        new String[] {"s", "http"}, out.stream(), err.stream(), new CountDownLatch(0)))
                .isEqualTo(2);
        assertThat(err.text()).hasLineCount(1).startsWith("error: ports are whole numbers");
        assertThat(VsockTunnelExample.run(new String[] {"s"}, out.stream(), err.stream(), new CountDownLatch(0)))
                .isEqualTo(2);
    }

    private int awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Matcher m = FORWARDING.matcher(out.text());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the example did not print its port: " + out.text() + err.text());
    }
}
