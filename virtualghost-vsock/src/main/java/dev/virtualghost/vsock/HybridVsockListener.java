package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.DaemonThreads;
import dev.virtualghost.vsock.internal.OwnerOnlySocketFile;
import dev.virtualghost.vsock.internal.Splice;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXServerSocket;
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
    /** Serves {@code connection} on a listener thread; an IOException is logged, not rethrown. */
    void handle(Socket connection) throws IOException;
  }

  private final Path path;
  private final OwnerOnlySocketFile socketFile;
  private final AFUNIXServerSocket server;
  private final Handler handler;
  private final ExecutorService executor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  private HybridVsockListener(OwnerOnlySocketFile socketFile, Handler handler) {
    this.path = socketFile.path();
    this.socketFile = socketFile;
    this.server = socketFile.server();
    this.handler = handler;
    this.executor = Executors.newCachedThreadPool(new DaemonThreads("vsock-listener-" + path.getFileName()));
    this.acceptor = new DaemonThreads("vsock-accept-" + path.getFileName()).newThread(this::acceptLoop);
    this.acceptor.start();
  }

  /**
   * Binds {@code <vsockSocket>_<port>}, connectable by the owner only (0600, see {@link OwnerOnlySocketFile}),
   * and starts accepting.
   *
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
      throw new VsockIoException("vsock: listen for guest connections on " + path + ": " + e
          + "; is another listener (or a stale file) there, and does the directory exist?", e);
    }
  }

  /** The bound socket file, {@code <socket>_<port>}. */
  public Path path() {
    return path;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("vsock listener {}: accept failed: {}", path, e.toString());
        }
        return;
      }
      open.add(s);
      try {
        executor.execute(() -> serve(s));
      } catch (RuntimeException rejected) {
        open.remove(s);
        Splice.closeQuietly(s);
      }
    }
  }

  private void serve(Socket s) {
    try {
      handler.handle(s);
    } catch (SocketException e) {
      LOG.debug("vsock listener {}: connection ended: {}", path, e.toString());
    } catch (IOException | RuntimeException e) {
      LOG.warn("vsock listener {}: handler failed: {}", path, e.toString());
    } finally {
      open.remove(s);
      Splice.closeQuietly(s);
    }
  }

  /**
   * Stops accepting, closes open connections, removes the socket file and its private directory; waits up
   * to 2 s for handlers. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Splice.closeQuietly(server);
    open.forEach(Splice::closeQuietly);
    executor.shutdownNow();
    try {
      acceptor.join(2000);
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      socketFile.close();
    } catch (IOException e) {
      LOG.warn("vsock listener: could not remove {}: {}", path, e.toString());
    }
  }
}
