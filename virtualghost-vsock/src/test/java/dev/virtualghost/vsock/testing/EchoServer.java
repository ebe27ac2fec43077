package dev.virtualghost.vsock.testing;

import dev.virtualghost.vsock.internal.DaemonThreads;
import dev.virtualghost.vsock.internal.Splice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A "guest service" on loopback TCP. In {@link Mode#ECHO} it echoes until EOF, then half-closes (so a test can
 * see half-close pass through both ways); in {@link Mode#SINK} it discards until EOF, then writes the byte
 * count as 8 bytes and closes. Thread-safe; close it to stop and close every connection.
 */
public final class EchoServer implements AutoCloseable {

    public enum Mode {
        ECHO,
        SINK
    }

    private final ServerSocket server;
    private final Mode mode;
    private final ExecutorService executor = Executors.newCachedThreadPool(new DaemonThreads("echo"));
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytes = new AtomicLong();
    private final Thread acceptor;

    private EchoServer(ServerSocket server, Mode mode) {
        this.server = server;
        this.mode = mode;
        this.acceptor = new DaemonThreads("echo-accept").newThread(this::acceptLoop);
        acceptor.start();
    }

    public static EchoServer start(Mode mode) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
        return new EchoServer(s, mode);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    public long bytesReceived() {
        return bytes.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                executor.execute(() -> serve(s));
            } catch (IOException | RuntimeException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[Splice.BUFFER];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
                if (mode == Mode.ECHO) {
                    out.write(buf, 0, n);
                }
            }
            bytes.addAndGet(total);
            if (mode == Mode.SINK) {
                out.write(java.nio.ByteBuffer.allocate(8).putLong(total).array());
            }
            out.flush();
            s.shutdownOutput();
        } catch (IOException e) {
            // Peer went away; nothing to do.
        } finally {
            open.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(Splice::closeQuietly);
        executor.shutdownNow();
        try {
            acceptor.join(2000);
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
