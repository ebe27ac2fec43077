package dev.virtualghost.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.vsock.internal.HalfClose;
import dev.virtualghost.vsock.testing.Leaks;
import dev.virtualghost.vsock.testing.ListenerChild;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Guest-to-host connections: CH connects to {@code <socket>_<port>} on the host when the guest connects to
 * CID 2 port {@code port} (spec README "Hybrid vsock"); here the test plays CH and connects to that file.
 */
class HybridVsockListenerTest {

    @TempDir
    Path dir;

    @Test
    void handsEachConnectionToHandlerAndRemovesSocketFileOnClose() throws Exception {
        Path vsock = dir.resolve("vsock.sock");
        BlockingQueue<String> got = new ArrayBlockingQueue<>(4);
        Path file;
        try (HybridVsockListener l = HybridVsockListener.open(vsock, 1025, c -> {
            InputStream in = c.getInputStream();
            got.add(new String(in.readAllBytes(), StandardCharsets.US_ASCII) + "@"
                    + Thread.currentThread().getName());
            c.getOutputStream().write('!');
        })) {
            file = l.path();
            assertThat(file).isEqualTo(dir.resolve("vsock.sock_1025"));
            assertThat(Files.exists(file)).isTrue();
            for (String msg : new String[] {"one", "two"}) {
                try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(file))) {
                    s.getOutputStream().write(msg.getBytes(StandardCharsets.US_ASCII));
                    HalfClose.shutdownOutput(s);
                    assertThat(s.getInputStream().read()).isEqualTo('!');
                }
            }
            String a = got.poll(5, TimeUnit.SECONDS);
            String b = got.poll(5, TimeUnit.SECONDS);
            assertThat(a)
                    .startsWith("one@")
                    .doesNotEndWith("@" + Thread.currentThread().getName());
            assertThat(b).startsWith("two@");
        }
        assertThat(Files.exists(file)).isFalse();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("socket file and private directory removed").isEmpty();
        }
    }

    @Test
    void socketFileIsOwnerOnlyWhateverTheUmask() throws Exception {
        // junixsocket alone leaves it 0666: any local user could talk to the host service.
        try (HybridVsockListener l = HybridVsockListener.open(dir.resolve("vsock.sock"), 2000, c -> c.close())) {
            assertThat(Files.getPosixFilePermissions(l.path()))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            Path privateDir = dir.resolve(".vsock.sock_2000.d");
            assertThat(Files.getPosixFilePermissions(privateDir))
                    .containsExactlyInAnyOrder(
                            PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE);
            try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(l.path()))) {
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void failedOpenLeaksNoSocketDescriptor() throws Exception {
        // Missing directory: bind fails with ENOENT. Too long a path: the private bind path does not fit sun_path.
        Path missing = dir.resolve("no-such-dir").resolve("vsock.sock");
        Path longName = dir.resolve("v".repeat(Math.max(1, 104 - dir.toString().length() - 3)));
        assertThat(longName.toString().length() + "_1".length()).isLessThanOrEqualTo(107);
        int before = -1;
        for (int i = 0; i < 31; i++) {
            if (i == 1) {
                before = Leaks.openSockets(); // after a first round has loaded every class
            }
            assertThatThrownBy(() -> HybridVsockListener.open(missing, 1, c -> {}))
                    .isInstanceOf(VsockIoException.class)
                    .hasMessageContaining("no-such-dir");
            assertThatThrownBy(() -> HybridVsockListener.open(longName, 1, c -> {}))
                    .isInstanceOf(VsockIoException.class);
        }
        // Sockets only: junixsocket itself keeps a temp file open per over-long address it sees.
        assertThat(Leaks.settle(Leaks::openSockets, before, 2000)).isLessThanOrEqualTo(before);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void secondListenerOnSamePortFailsClearly() {
        Path vsock = dir.resolve("v.sock");
        try (HybridVsockListener l = HybridVsockListener.open(vsock, 9, c -> {})) {
            assertThatThrownBy(() -> HybridVsockListener.open(vsock, 9, c -> {}))
                    .isInstanceOf(VsockIoException.class)
                    .hasMessageContaining("v.sock_9")
                    .hasMessageContaining("another listener is accepting on it");
            assertThat(Files.exists(l.path())).isTrue();
        }
    }

    @Test
    void socketFileLeftByAKilledJvmIsReplaced() throws Exception {
        Path vsock = dir.resolve("v.sock");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ListenerChild.class.getName(),
                        vsock.toString(),
                        "7")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String line = new java.io.BufferedReader(
                            new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(line).isEqualTo("LISTENING " + dir.resolve("v.sock_7"));
        } finally {
            child.destroyForcibly(); // SIGKILL: no close(), the socket file stays
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        Path stale = dir.resolve("v.sock_7");
        assertThat(stale).exists();

        BlockingQueue<String> got = new ArrayBlockingQueue<>(1);
        try (HybridVsockListener l = HybridVsockListener.open(vsock, 7, c -> got.add("served"))) {
            try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(l.path()))) {
                assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("served");
            }
        }
        assertThat(stale).doesNotExist();
    }

    @Test
    void aRegularFileAtTheListenerPathIsLeftAlone() throws Exception {
        Path vsock = dir.resolve("v.sock");
        Path file = Files.writeString(dir.resolve("v.sock_8"), "mine");
        assertThatThrownBy(() -> HybridVsockListener.open(vsock, 8, c -> {}))
                .isInstanceOf(VsockIoException.class)
                .hasMessageContaining("exists and is not a socket");
        assertThat(file).hasContent("mine");
    }
}
