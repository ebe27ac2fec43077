package dev.virtualghost.ch.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VM's hybrid vsock Unix socket, as CH's vsock muxer ({@code virtio-devices/src/vsock/unix/muxer.rs}) serves
 * it: bound while the VM is booted (measured on v54: it appears at {@code vm.boot}, mode {@code srwx------}, and
 * goes at {@code vm.shutdown}), {@code CONNECT <port>\n} read byte by byte. While the guest has no vsock driver
 * running (the tiny test guest, or no guest ports configured) CH forwards nothing to
 * the guest and nothing comes back: the connection stays open and silent. With a driver, a port that leads
 * somewhere gets {@code OK <local port>\n} (local ports from {@code 1 << 30} up) and the bytes are relayed; any
 * other port has its stream closed (the guest answers RST).
 *
 * <p>Thread-safe: one accept thread and two daemon threads per relayed connection. The owner closes it; close
 * removes the socket file and closes every connection.
 */
public final class GuestVsock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuestVsock.class);
    private static final Pattern CONNECT = Pattern.compile("connect (\\d+)");

    private final Path socket;
    private final AFUNIXServerSocket server;
    private final Map<Integer, SocketAddress> ports;
    private final BooleanSupplier driverRunning;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextLocalPort = new AtomicInteger(1 << 30);
    private final AtomicBoolean closed = new AtomicBoolean();

    private GuestVsock(
            Path socket, AFUNIXServerSocket server, Map<Integer, SocketAddress> ports, BooleanSupplier driverRunning) {
        this.socket = socket;
        this.server = server;
        this.ports = Map.copyOf(ports);
        this.driverRunning = driverRunning;
        Thread t = new Thread(this::acceptLoop, "fake-ch-vsock " + socket.getFileName());
        t.setDaemon(true);
        t.start();
    }

    /**
     * Binds {@code socket} (0700, as CH leaves it) and serves it.
     *
     * @param ports where guest ports lead (a {@link InetSocketAddress} or an {@link AFUNIXSocketAddress})
     * @param driverRunning whether the guest's vsock driver runs now (checked at each CONNECT)
     * @throws IOException if the socket cannot be bound
     */
    public static GuestVsock bind(Path socket, Map<Integer, SocketAddress> ports, BooleanSupplier driverRunning)
            throws IOException {
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        try {
            server.bind(AFUNIXSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new GuestVsock(socket, server, ports, driverRunning);
    }

    /** The socket path. */
    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(server);
        open.forEach(GuestVsock::closeQuietly);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.debug("removing {}", socket, e);
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            open.add(s);
            daemon("fake-ch-vsock-conn", () -> serve(s)).start();
        }
    }

    private void serve(Socket host) {
        Socket guest = null;
        try {
            String line = readLine(host.getInputStream());
            Matcher m = line == null
                    ? null
                    : CONNECT.matcher(line.toLowerCase(Locale.ROOT).trim());
            if (m == null || !m.matches()) {
                throw new IOException("bad command: " + line);
            }
            if (!driverRunning.getAsBoolean()) {
                // No driver in the guest: CH's muxer gets no answer, so neither does the host. Wait for the host
                // (or the VMM's end) to close the stream.
                while (host.getInputStream().read() >= 0) {
                    // Bytes sent before OK are dropped, as nothing in the guest reads them.
                }
                throw new IOException("host closed a silent connection");
            }
            SocketAddress target = ports.get(Integer.parseInt(m.group(1)));
            if (target == null) {
                throw new IOException("no guest listener on port " + m.group(1));
            }
            guest = target instanceof AFUNIXSocketAddress ? AFUNIXSocket.newInstance() : new Socket();
            guest.connect(target, 5000);
            open.add(guest);
            int local = nextLocalPort.getAndUpdate(p -> ((p + 1) & ~(1 << 31)) | (1 << 30));
            OutputStream out = host.getOutputStream();
            out.write(("OK " + local + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Socket g = guest;
            daemon("fake-ch-vsock-up", () -> pump(host, g)).start();
            pump(g, host);
        } catch (IOException | RuntimeException e) {
            LOG.debug("vsock connection on {} ended: {}", socket, e.toString());
            closeQuietly(host);
            open.remove(host);
            if (guest != null) {
                closeQuietly(guest);
                open.remove(guest);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        } finally {
            if (from.isClosed() || to.isClosed() || (from.isInputShutdown() && to.isOutputShutdown())) {
                open.remove(from);
            }
        }
    }

    /** Byte by byte, as CH's muxer reads, so nothing after the newline is consumed. */
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

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Already gone.
        }
    }
}
