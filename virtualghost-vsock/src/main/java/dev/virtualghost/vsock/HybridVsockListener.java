package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.DaemonThreads;
import dev.virtualghost.vsock.internal.Splice;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
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

  private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  private final Path path;
  private final Path privateDir;
  private final AFUNIXServerSocket server;
  private final Handler handler;
  private final ExecutorService executor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  private HybridVsockListener(Path path, Path privateDir, AFUNIXServerSocket server, Handler handler) {
    this.path = path;
    this.privateDir = privateDir;
    this.server = server;
    this.handler = handler;
    this.executor = Executors.newCachedThreadPool(new DaemonThreads("vsock-listener-" + path.getFileName()));
    this.acceptor = new DaemonThreads("vsock-accept-" + path.getFileName()).newThread(this::acceptLoop);
    this.acceptor.start();
  }

  /**
   * Binds {@code <vsockSocket>_<port>}, readable and writable by the owner only (0600), and starts accepting.
   *
   * <p>junixsocket creates socket files world-writable (0666) and the bind also listens, so a chmod after
   * bind would leave a window in which any local user could connect. Instead the socket is bound inside a
   * private (0700) directory {@code .<name>.d} next to it, made 0600 there, and only then hard-linked to its
   * public name; both names stay until {@link #close()} (junixsocket treats a listener whose bound path
   * vanished as closed). The private path is 5 bytes longer, so it must fit sun_path (107 bytes).
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
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      // junixsocket's bind unlinks an existing file, which would silently steal another listener's port.
      throw new VsockIoException("vsock: listen for guest connections on " + path
          + ": the path already exists; is another listener there, or a stale file to remove?", null);
    }
    Path privateDir = path.resolveSibling("." + path.getFileName() + ".d");
    Path bound = privateDir.resolve("s");
    AFUNIXServerSocket server = null;
    try {
      // Left by a listener killed before close(): its public name is gone (checked above), so it is unused.
      deletePrivate(bound, privateDir);
      Files.createDirectory(privateDir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      server = AFUNIXServerSocket.newInstance();
      server.bind(AFUNIXSocketAddress.of(bound));
      Files.setPosixFilePermissions(bound, OWNER_RW);
      // Atomic: fails with FileAlreadyExistsException if another listener took the name since the check.
      Files.createLink(path, bound);
      return new HybridVsockListener(path, privateDir, server, handler);
    } catch (IOException e) {
      if (server != null) {
        Splice.closeQuietly(server);
      }
      try {
        deletePrivate(bound, privateDir);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new VsockIoException("vsock: listen for guest connections on " + path + ": " + e
          + "; is another listener (or a stale file) there, and does the directory exist?", e);
    }
  }

  private static void deletePrivate(Path bound, Path privateDir) throws IOException {
    Files.deleteIfExists(bound);
    Files.deleteIfExists(privateDir);
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
      Files.deleteIfExists(path);
      deletePrivate(privateDir.resolve("s"), privateDir);
    } catch (IOException e) {
      LOG.warn("vsock listener: could not remove {} or {}: {}", path, privateDir, e.toString());
    }
  }
}
