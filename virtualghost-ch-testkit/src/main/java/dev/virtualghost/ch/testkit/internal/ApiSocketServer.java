package dev.virtualghost.ch.testkit.internal;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HTTP/1.1 on a Unix socket as CH's API thread does: connections are kept alive until the client closes
 * them, and a request that cannot be framed is answered 400 before the connection is closed.
 *
 * <p>Thread-safe: one accept thread and one daemon thread per connection. The owner closes it; close stops
 * accepting, closes every connection and interrupts their threads, and leaves the socket file to the owner.
 */
public final class ApiSocketServer {
    /** Answers one framed request; called on the connection's thread. */
    public interface Handler {
        void handle(HttpExchange.Request request, HttpExchange http) throws IOException, InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApiSocketServer.class);
    private final Path socket;
    private final AFUNIXServerSocket server;
    private final Handler handler;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;

    private ApiSocketServer(Path socket, AFUNIXServerSocket server, Handler handler) {
        this.socket = socket;
        this.server = server;
        this.handler = handler;
        this.acceptor = new Thread(this::acceptLoop, "fake-ch-accept " + socket.getFileName());
        acceptor.setDaemon(true);
    }

    /**
     * Binds {@code socket}, which must not exist; connections wait in the backlog until {@link #start()}.
     *
     * @throws IOException if the socket cannot be bound
     */
    public static ApiSocketServer bind(Path socket, Handler handler) throws IOException {
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        try {
            server.bind(AFUNIXSocketAddress.of(socket.toFile()));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new ApiSocketServer(socket, server, handler);
    }

    /** Starts accepting connections. */
    public void start() {
        acceptor.start();
    }

    /** Stops accepting, closes every connection and interrupts the connection threads; idempotent. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing server socket {}", socket, e);
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing connection", e);
            }
        }
        workers.forEach(Thread::interrupt);
    }

    private void acceptLoop() {
        while (!closed.get()) {
            try {
                Socket s = server.accept();
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "fake-ch-conn");
                t.setDaemon(true);
                workers.add(t);
                t.start();
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.debug("accept failed on {}", socket, e);
                }
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            HttpExchange http = new HttpExchange(s.getInputStream(), s.getOutputStream());
            while (!closed.get()) {
                HttpExchange.Request request;
                try {
                    request = http.read();
                } catch (HttpExchange.BadRequest e) {
                    http.write(400, Json.write(List.of(e.getMessage())));
                    return;
                }
                if (request == null) {
                    return;
                }
                handler.handle(request, http);
            }
        } catch (IOException e) {
            LOG.debug("connection on {} ended", socket, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.remove(s);
            workers.remove(Thread.currentThread());
        }
    }
}
