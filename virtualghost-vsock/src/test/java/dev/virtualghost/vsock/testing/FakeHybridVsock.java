package dev.virtualghost.vsock.testing;

import dev.virtualghost.vsock.internal.AcceptLoop;
import dev.virtualghost.vsock.internal.Splice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Stands in for Cloud Hypervisor's hybrid vsock muxer ({@code virtio-devices/src/vsock/unix/muxer.rs}) on a
 * real Unix socket, with "guest listeners" that are TCP servers on loopback.
 *
 * <p>Real behaviour it reproduces: the {@code CONNECT <port>\n} command is read byte by byte and the word is
 * matched case-insensitively; if a guest listener exists CH answers {@code OK <local port>\n} where local
 * ports are allocated from {@code 1 << 30} upwards ({@code local_port_last} starts at {@code (1 << 30) - 1}
 * in muxer.rs); if nothing listens the stream is simply closed. For a guest that speaks first (sshd) the
 * fake sends {@code OK} and the guest's first bytes in ONE write, the worst case a client's ack reader
 * must survive. It can also delay a listener's appearance (guest still booting) or answer garbage.
 *
 * <p>Thread-safe. Close it to stop accepting, close every connection and delete the socket and its private
 * directory.
 */
public final class FakeHybridVsock implements AutoCloseable {

    private static final Pattern CONNECT = Pattern.compile("connect (\\d+)");

    private record Rule(InetSocketAddress target, boolean guestSpeaksFirst, long readyAtNanos, String garbage) {}

    private final Path dir;
    private final Path socket;
    private final Map<Integer, Rule> rules = new ConcurrentHashMap<>();
    private final AtomicInteger nextLocalPort = new AtomicInteger(1 << 30);
    private final AtomicInteger connectRequests = new AtomicInteger();
    private final AcceptLoop loop;

    private FakeHybridVsock(Path dir, Path socket, AFUNIXServerSocket server) {
        this.dir = dir;
        this.socket = socket;
        // The same accept/serve/close skeleton as HybridVsockListener: only the serving differs.
        this.loop = AcceptLoop.start(server, "fake-vsock", this::serve, e -> {});
    }

    /** Starts on {@code vsock.sock} in a fresh private (0700) temp directory. */
    public static FakeHybridVsock start() throws IOException {
        Path dir = Files.createTempDirectory(
                "vg-fake-vsock-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return startAt(dir, dir.resolve("vsock.sock"));
    }

    /** Starts on {@code socket}; {@code dir} (may be null) is deleted on close if empty. */
    public static FakeHybridVsock startAt(Path dir, Path socket) throws IOException {
        AFUNIXServerSocket s = AFUNIXServerSocket.newInstance();
        s.bind(AFUNIXSocketAddress.of(socket), 2048);
        return new FakeHybridVsock(dir, socket, s);
    }

    public Path socket() {
        return socket;
    }

    /** A guest process listens on vsock {@code port}; the fake forwards to {@code target}. */
    public void listen(int port, InetSocketAddress target, boolean guestSpeaksFirst) {
        rules.put(port, new Rule(target, guestSpeaksFirst, System.nanoTime(), null));
    }

    /** Like {@link #listen} but the guest only starts listening after {@code delay} (still booting). */
    public void listenAfter(int port, InetSocketAddress target, boolean guestSpeaksFirst, Duration delay) {
        rules.put(port, new Rule(target, guestSpeaksFirst, System.nanoTime() + delay.toNanos(), null));
    }

    /** Answers {@code reply} instead of {@code OK <n>\n} for {@code port}, then closes. */
    public void answerGarbage(int port, String reply) {
        rules.put(port, new Rule(null, false, System.nanoTime(), reply));
    }

    /** How many complete CONNECT lines were received. */
    public int connectRequests() {
        return connectRequests.get();
    }

    /** Both sides of every spliced connection count once each. */
    public int openSockets() {
        return loop.openSockets();
    }

    private void serve(Socket unix) {
        Socket guest = null;
        try {
            String line = readLine(unix.getInputStream());
            Matcher m = line == null
                    ? null
                    : CONNECT.matcher(line.toLowerCase(Locale.ROOT).trim());
            if (m == null || !m.matches()) {
                throw new IOException("bad command");
            }
            connectRequests.incrementAndGet();
            Rule r = rules.get(Integer.parseInt(m.group(1)));
            if (r == null || System.nanoTime() - r.readyAtNanos() < 0) {
                throw new IOException("no guest listener");
            }
            OutputStream out = unix.getOutputStream();
            if (r.garbage() != null) {
                out.write(r.garbage().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                throw new IOException("garbage sent");
            }
            guest = new Socket();
            guest.connect(r.target(), 2000);
            guest.setTcpNoDelay(true);
            loop.track(guest);
            byte[] ok =
                    ("OK " + Integer.toUnsignedString(allocateLocalPort()) + "\n").getBytes(StandardCharsets.US_ASCII);
            byte[] first = new byte[0];
            if (r.guestSpeaksFirst()) {
                guest.setSoTimeout(2000);
                byte[] buf = new byte[4096];
                try {
                    int n = guest.getInputStream().read(buf);
                    first = n > 0 ? java.util.Arrays.copyOf(buf, n) : first;
                } catch (SocketTimeoutException e) {
                    // Guest said nothing; send OK alone.
                }
                guest.setSoTimeout(0);
            }
            byte[] segment = new byte[ok.length + first.length];
            System.arraycopy(ok, 0, segment, 0, ok.length);
            System.arraycopy(first, 0, segment, ok.length, first.length);
            out.write(segment);
            out.flush();
            Socket g = guest;
            Splice.run(unix, g, loop.executor(), () -> {
                loop.untrack(unix);
                loop.untrack(g);
            });
        } catch (IOException | RuntimeException e) {
            // As CH does: no listener or a bad request just closes the stream.
            loop.untrack(unix);
            Splice.closeQuietly(unix);
            if (guest != null) {
                loop.untrack(guest);
                Splice.closeQuietly(guest);
            }
        }
    }

    private int allocateLocalPort() {
        // muxer.rs: (last + 1) & !(1 << 31) | (1 << 30): stays within [2^30, 2^31).
        return nextLocalPort.getAndUpdate(p -> ((p + 1) & ~(1 << 31)) | (1 << 30));
    }

    /** Byte by byte, as CH does, so nothing after the newline is consumed. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 64) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                return sb.toString();
            }
            sb.append((char) b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        loop.close(Duration.ofSeconds(5));
        Files.deleteIfExists(socket);
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }
}
