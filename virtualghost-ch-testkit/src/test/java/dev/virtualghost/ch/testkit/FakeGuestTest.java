package dev.virtualghost.ch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.SerialConfig;
import dev.virtualghost.ch.model.VmConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The in-process fake playing the guest: a {@link PvhTestGuest} kernel prints its lines and powers off as on the
 * real CH (see {@code PvhTestGuestRealChIT}), and the VM's hybrid vsock socket behaves as CH's muxer does with
 * and without a guest vsock driver.
 */
class FakeGuestTest {
    @TempDir
    Path dir;

    private VmConfig config(Path kernel) {
        return VmConfig.builder()
                .payload(PayloadConfig.ofKernel(kernel.toString(), null))
                .serial(new SerialConfig(
                        dir.resolve("serial").toString(), null, dev.virtualghost.ch.model.ConsoleMode.FILE))
                .vsock(dev.virtualghost.ch.model.VsockConfig.of(
                        3, dir.resolve("vsock.sock").toString()))
                .build();
    }

    @Test
    void testGuestPowerOffEndsTheVmmWithTheRealEvents() throws Exception {
        Path kernel =
                PvhTestGuest.builder().serialLine("VIRTUALGHOST-TEST").build().writeTo(dir.resolve("g.elf"));
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        try (FakeCloudHypervisor ch = FakeCloudHypervisor.builder()
                        .socket(dir.resolve("api.sock"))
                        .eventMonitor(events)
                        .start();
                ChClient client = ChClient.builder().socket(ch.socket()).build()) {
            client.create(config(kernel));
            client.boot();
            assertThat(ch.awaitExit(Duration.ofSeconds(5))).isTrue();
            assertThat(ch.socket()).as("the VMM ended with its guest").doesNotExist();
            assertThat(dir.resolve("vsock.sock")).doesNotExist();
        }
        assertThat(Files.readString(dir.resolve("serial"))).isEqualTo("VIRTUALGHOST-TEST\n");
        assertThat(eventNames(events))
                .containsExactly(
                        "vmm starting", "vm booting", "vm booted", "vm shutdown", "vm deleted", "vmm shutdown");
    }

    @Test
    void delayedPowerOffWaitsAndNoShutdownKeepsTheVmm() throws Exception {
        Path kernel = PvhTestGuest.builder()
                .mode(PvhTestGuest.Mode.POWER_OFF_AFTER_DELAY)
                .powerOffDelay(Duration.ofMillis(300))
                .build()
                .writeTo(dir.resolve("g.elf"));
        try (FakeCloudHypervisor ch = FakeCloudHypervisor.builder()
                        .socket(dir.resolve("api.sock"))
                        .noShutdown(true)
                        .start();
                ChClient client = ChClient.builder().socket(ch.socket()).build()) {
            client.create(config(kernel));
            client.boot();
            Thread.sleep(150);
            assertThat(ch.vmState()).contains("Running");
            Thread.sleep(600);
            assertThat(ch.vmState()).contains("Shutdown");
            assertThat(ch.socket()).exists();
        }
    }

    @Test
    void vsockSocketIsBoundAtBootAndSilentWithoutAGuestDriver() throws Exception {
        Path kernel =
                PvhTestGuest.builder().mode(PvhTestGuest.Mode.HALT).build().writeTo(dir.resolve("g.elf"));
        try (FakeCloudHypervisor ch = FakeCloudHypervisor.builder()
                        .socket(dir.resolve("api.sock"))
                        .guestVsockPort(22, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9))
                        .start();
                ChClient client = ChClient.builder().socket(ch.socket()).build()) {
            client.create(config(kernel));
            Path vsock = dir.resolve("vsock.sock");
            assertThat(vsock).as("CH v54 binds it at boot").doesNotExist();
            client.boot();
            assertThat(vsock).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vsock)))
                    .isEqualTo("rwx------");
            assertThat(connect(vsock, 22))
                    .as("the tiny test guest has no vsock driver")
                    .isEqualTo("<silent>");
            client.shutdown();
            assertThat(vsock).doesNotExist();
        }
    }

    @Test
    void guestWithADriverRelaysMappedPortsAndClosesOthers() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (Exception e) {
                    // test ends
                }
            });
            t.setDaemon(true);
            t.start();
            try (FakeCloudHypervisor ch = FakeCloudHypervisor.builder()
                            .socket(dir.resolve("api.sock"))
                            .guestVsockPort(22, (InetSocketAddress) echo.getLocalSocketAddress())
                            .start();
                    ChClient client = ChClient.builder().socket(ch.socket()).build()) {
                // A kernel that is not a test guest stands for a Linux guest, vsock driver included.
                client.create(config(dir.resolve("vmlinux")));
                client.boot();
                Path vsock = dir.resolve("vsock.sock");
                assertThat(connect(vsock, 23)).as("no listener on 23").isEqualTo("<closed>");
                try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(vsock))) {
                    s.setSoTimeout(5000);
                    OutputStream out = s.getOutputStream();
                    out.write("CONNECT 22\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(readLine(s.getInputStream())).matches("OK \\d+");
                    out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(readLine(s.getInputStream())).isEqualTo("ping");
                }
            }
        }
    }

    @Test
    void aMultiLineChainReachesTheClientIntact() throws Exception {
        // What the real CH answers to vm.snapshot on the reference host (see ChApiContract.snapshotOfAPausedVm).
        String last = "Could not get vCPU state GetNestedState(Invalid argument (os error 22)\n\nStack backtrace:\n"
                + "   0: <unknown>\n  10: start_thread\n             at ./nptl/pthread_create.c:442:8)";
        Path kernel =
                PvhTestGuest.builder().mode(PvhTestGuest.Mode.HALT).build().writeTo(dir.resolve("g.elf"));
        try (FakeCloudHypervisor ch = FakeCloudHypervisor.builder()
                        .socket(dir.resolve("api.sock"))
                        .start();
                ChClient client = ChClient.builder().socket(ch.socket()).build()) {
            client.create(config(kernel));
            client.boot();
            client.pause();
            ch.failNext(
                    "vm.snapshot",
                    500,
                    "Error from API",
                    "The VM could not be snapshotted",
                    "Cannot snapshot VM",
                    "Failed to snapshot migratable component",
                    last);
            dev.virtualghost.ch.ChApiException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    dev.virtualghost.ch.ChApiException.class,
                    () -> client.snapshot(new dev.virtualghost.ch.model.VmSnapshotConfig(
                            dir.toUri().toString())));
            assertThat(e.errors()).hasSize(5).last().isEqualTo(last);
            assertThat(e.rootCause()).isEqualTo(last);
        }
    }

    @Test
    void guestPortsFromTheEnvironment() {
        FakeCloudHypervisor.Builder b = FakeCloudHypervisor.builder();
        GuestPorts.parse("22=tcp:127.0.0.1:2222, 1234=unix:/tmp/x.sock", b);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GuestPorts.parse("22=udp:1", b))
                .hasMessageContaining("'22=udp:1' is not <port>=tcp:<host>:<port> or <port>=unix:<path>");
    }

    /** What a CONNECT gets within 400 ms: the first line, "<closed>" or "<silent>". */
    private static String connect(Path vsock, int port) throws Exception {
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(vsock))) {
            s.setSoTimeout(400);
            s.getOutputStream().write(("CONNECT " + port + "\n").getBytes(StandardCharsets.US_ASCII));
            try {
                String line = readLine(s.getInputStream());
                return line == null ? "<closed>" : line;
            } catch (SocketTimeoutException e) {
                return "<silent>";
            } catch (java.io.IOException e) {
                return "<closed>";
            }
        }
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return sb.length() == 0 ? null : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    static java.util.List<String> eventNames(ByteArrayOutputStream events) throws Exception {
        Path f = Files.createTempFile("events", ".json");
        try {
            Files.write(f, events.toByteArray());
            return RealCh.events(f);
        } finally {
            Files.delete(f);
        }
    }
}
