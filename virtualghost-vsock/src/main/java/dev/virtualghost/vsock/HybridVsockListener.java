package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.AcceptLoop;
import dev.virtualghost.vsock.internal.OwnerOnlySocketFile;
import dev.virtualghost.vsock.internal.Splice;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts guest-to-host vsock connections: a guest connecting to CID 2 port P makes CH connect to the Unix
 * socket {@code <socket>_<P>} (CH {@code muxer.rs}), which this listener binds.
 *
 * <p>The socket file is created 0600 (see {@link #open}), so only this user (and root) can connect: CH must run
 * as the same user. Each accepted connection is handed to the {@link Handler} on its own thread; the listener closes the
 * socket after the handler returns. Thread-safe. The caller closes the listener, which stops accepting,
 * closes open connections and removes the socket file.
 */
public final class HybridVsockListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HybridVsockListener.class);

    /** Serves one guest-initiated connection; the socket is closed for you after it returns. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Serves one connection on a listener thread of its own; an IOException is logged, not rethrown.
         *
         * @param connection the accepted Unix socket CH opened for the guest; its first byte is the guest's first byte
         *     (CH sends no handshake on this side), and it is closed for you after this returns
         * @throws IOException when serving fails; logged at WARN (a {@link SocketException} at DEBUG, as a hang-up)
         */
        void handle(Socket connection) throws IOException;
    }

    private final Path path;
    private final OwnerOnlySocketFile socketFile;
    private final Handler handler;
    private final AcceptLoop loop;

    private HybridVsockListener(OwnerOnlySocketFile socketFile, Handler handler) {
        this.path = socketFile.path();
        this.socketFile = socketFile;
        this.handler = handler;
        this.loop = AcceptLoop.start(
                socketFile.server(),
                "vsock-listener-" + path.getFileName(),
                this::serve,
                e -> LOG.warn("vsock listener {}: accept failed: {}", path, e.toString()));
    }

    /**
     * Binds {@code <vsockSocket>_<port>}, connectable by the owner only (0600, see {@link OwnerOnlySocketFile}),
     * and starts accepting.
     *
     * @param vsockSocket the hybrid vsock socket of the VM ({@code "socket"} of CH's vsock config)
     * @param port the vsock port the guest connects to on CID 2
     * @param handler serves each accepted connection; must be thread-safe, as connections are served concurrently
     * @return the listening listener, which the caller owns and must {@link #close()}
     * @throws NullPointerException if {@code vsockSocket} or {@code handler} is null
     * @throws IllegalArgumentException if {@code port} is negative
     * @throws VsockIoException if the socket cannot be bound (e.g. the path is taken or its directory missing)
     */
    public static HybridVsockListener open(Path vsockSocket, int port, Handler handler) {
        Objects.requireNonNull(vsockSocket, "vsockSocket == null");
        Objects.requireNonNull(handler, "handler == null");
        if (port < 0) {
            throw new IllegalArgumentException("port < 0: " + port);
        }
        Path path = vsockSocket.resolveSibling(vsockSocket.getFileName() + "_" + Integer.toUnsignedString(port));
        try {
            return new HybridVsockListener(OwnerOnlySocketFile.bind(path, 50), handler);
        } catch (FileAlreadyExistsException e) {
            throw new VsockIoException("vsock: listen for guest connections on " + path + ": it " + e.getReason(), e);
        } catch (IOException e) {
            throw new VsockIoException(
                    "vsock: listen for guest connections on " + path + ": " + e
                            + "; is another listener (or a stale file) there, and does the directory exist?",
                    e);
        }
    }

    /**
     * Returns the bound socket file.
     *
     * @return {@code <socket>_<port>} beside the VM's hybrid vsock socket
     */
    public Path path() {
        return path;
    }

    private void serve(Socket s) {
        try {
            handler.handle(s);
        } catch (SocketException e) {
            LOG.debug("vsock listener {}: connection ended: {}", path, e.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("vsock listener {}: handler failed: {}", path, e.toString());
        } finally {
            loop.untrack(s);
            Splice.closeQuietly(s);
        }
    }

    /**
     * Stops accepting, closes open connections, removes the socket file and its private directory; waits up
     * to 2 s for handlers. Idempotent.
     */
    @Override
    public void close() {
        if (loop.isClosed()) {
            return;
        }
        loop.close(Duration.ofSeconds(2));
        try {
            socketFile.close();
        } catch (IOException e) {
            LOG.warn("vsock listener: could not remove {}: {}", path, e.toString());
        }
    }
}
