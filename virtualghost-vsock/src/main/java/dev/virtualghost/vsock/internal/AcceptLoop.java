package dev.virtualghost.vsock.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Accepts connections on a server socket from one daemon thread and serves each on a pooled daemon thread,
 * keeping every socket it is told about open-tracked so that {@link #close(Duration)} can close them all. The one
 * accept/serve/close skeleton of {@code HybridVsockListener} and the tests' fake CH muxer.
 *
 * <p>The serving code owns each accepted socket: it closes it (and {@link #untrack}s it) when done. Thread-safe.
 */
public final class AcceptLoop {
    private final ServerSocket server;
    private final Consumer<Socket> serve;
    private final Consumer<IOException> acceptFailed;
    private final ExecutorService executor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private AcceptLoop(ServerSocket server, String name, Consumer<Socket> serve, Consumer<IOException> acceptFailed) {
        this.server = server;
        this.serve = serve;
        this.acceptFailed = acceptFailed;
        this.executor = Executors.newCachedThreadPool(new DaemonThreads(name));
        this.acceptor = new DaemonThreads(name + "-accept").newThread(this::run);
    }

    /**
     * Starts accepting on {@code server}; each connection goes to {@code serve} on a pool thread. An accept that
     * fails while the loop is open goes to {@code acceptFailed} and ends the loop.
     */
    public static AcceptLoop start(
            ServerSocket server, String name, Consumer<Socket> serve, Consumer<IOException> acceptFailed) {
        AcceptLoop loop = new AcceptLoop(server, name, serve, acceptFailed);
        loop.acceptor.start();
        return loop;
    }

    private void run() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    acceptFailed.accept(e);
                }
                return;
            }
            open.add(s);
            try {
                executor.execute(() -> serve.accept(s));
            } catch (RuntimeException rejected) {
                untrack(s);
                Splice.closeQuietly(s);
            }
        }
    }

    /** The pool serving threads run on, for work a connection spawns (e.g. the two directions of a splice). */
    public ExecutorService executor() {
        return executor;
    }

    /** Tracks another socket a connection opened, so that {@link #close(Duration)} closes it too. */
    public void track(Socket s) {
        open.add(s);
    }

    /** Forgets a socket once it is closed. */
    public void untrack(Socket s) {
        open.remove(s);
    }

    /** How many tracked sockets are open. */
    public int openSockets() {
        return open.size();
    }

    /** Whether {@link #close(Duration)} ran. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops accepting, closes the server socket and every tracked socket, stops the pool and waits up to
     * {@code wait} for its threads. Idempotent.
     */
    public void close(Duration wait) {
        if (closed) {
            return;
        }
        closed = true;
        Splice.closeQuietly(server);
        open.forEach(Splice::closeQuietly);
        executor.shutdownNow();
        try {
            acceptor.join(wait.toMillis());
            executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
