package dev.virtualghost.guest.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands for Cloud Hypervisor's hybrid vsock muxer in front of a guest that QEMU reaches over TCP: a Unix socket
 * where a client writes {@code CONNECT <port>\n}; for a mapped guest port the relay connects to its TCP target
 * (QEMU's hostfwd to the guest's port), answers {@code OK <n>\n} and copies bytes both ways; for an unmapped
 * port it closes the stream, as CH does when no guest process listens. This lets the real {@code GuestSsh} and
 * {@code HybridVsockDialer} run unchanged against the real guest sshd. Owns its threads and sockets; close()
 * ends them and removes the socket file.
 */
final class HybridVsockRelay implements AutoCloseable {
    private final Path socket;
    private final Map<Integer, InetSocketAddress> ports;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private int nextHostPort = 1024;

    HybridVsockRelay(Path socket, Map<Integer, InetSocketAddress> ports) throws IOException {
        this.socket = socket;
        this.ports = Map.copyOf(ports);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.acceptor = new Thread(this::acceptLoop, "vsock-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                open.add(client);
                start("vsock-relay-conn", () -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SocketChannel client) {
        try {
            String line = readLine(client);
            InetSocketAddress target = null;
            if (line != null && line.matches("CONNECT [0-9]{1,10}")) {
                target = ports.get(Integer.parseInt(line.substring(8)));
            }
            if (target == null) {
                client.close();
                return;
            }
            SocketChannel tcp = SocketChannel.open();
            open.add(tcp);
            tcp.socket().connect(target, 2000);
            int hostPort;
            synchronized (this) {
                hostPort = nextHostPort++;
            }
            writeFully(client, ByteBuffer.wrap(("OK " + hostPort + "\n").getBytes(StandardCharsets.US_ASCII)));
            start("vsock-relay-up", () -> pump(client, tcp));
            pump(tcp, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /**
     * Copies until EOF, then closes both. Plain channel reads and writes: on JDK 17 the streams of
     * {@code Channels.newInputStream/newOutputStream} share the channel's blocking lock, so a blocked read
     * would stall the other direction's writes (JDK-8279339).
     */
    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(16384);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                writeFully(to, buf);
                buf.clear();
            }
        } catch (IOException e) {
            // One side went away; close both below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void writeFully(SocketChannel to, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            to.write(buf);
        }
    }

    /** Reads the {@code CONNECT} line byte by byte, so that no SSH byte after it is consumed here. */
    private static String readLine(SocketChannel in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (line.size() <= 64) {
            one.clear();
            if (in.read(one) < 0) {
                return null;
            }
            byte c = one.get(0);
            if (c == '\n') {
                return line.toString(StandardCharsets.US_ASCII);
            }
            line.write(c);
        }
        return null;
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Teardown.
        }
    }

    /** Live relay threads (the acceptor included), for leak checks. */
    long liveThreads() {
        return threads.stream().filter(Thread::isAlive).count() + (acceptor.isAlive() ? 1 : 0);
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(HybridVsockRelay::closeQuietly);
        try {
            acceptor.join(2000);
            for (Thread t : threads) {
                t.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
    }
}
