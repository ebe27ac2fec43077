package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.DaemonThreads;
import dev.virtualghost.vsock.internal.Splice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Exposes a guest vsock port as a local TCP port on loopback or as a local Unix socket, like {@code ssh -L}.
 *
 * <pre>{@code
 * try (VsockTunnel t = VsockTunnel.builder().dialer(dialer).guestPort(8080).build()) {
 *   int port = t.localPort(); // ephemeral loopback port
 * }
 * }</pre>
 *
 * <p>Every accepted local connection dials the guest (with the dialer's retries and deadline) and is spliced
 * in both directions with half-close passed on. Thread-safe. The caller closes the tunnel, which stops
 * accepting, closes every open connection, stops its threads and removes a Unix socket file it created.
 */
public final class VsockTunnel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VsockTunnel.class);

  private final HybridVsockDialer dialer;
  private final int guestPort;
  private final ServerSocket server;
  private final Path unixPath;
  private final ExecutorService executor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  private VsockTunnel(Builder b, ServerSocket server) {
    this.dialer = b.dialer;
    this.guestPort = b.guestPort;
    this.server = server;
    this.unixPath = b.unixPath;
    this.executor = Executors.newCachedThreadPool(new DaemonThreads("vsock-tunnel-" + guestPort));
    this.acceptor = new DaemonThreads("vsock-tunnel-accept-" + guestPort).newThread(this::acceptLoop);
    this.acceptor.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The local TCP port, or -1 for a Unix-socket tunnel. */
  public int localPort() {
    return unixPath == null ? server.getLocalPort() : -1;
  }

  /** The local address clients connect to (an InetSocketAddress or an AFUNIXSocketAddress). */
  public SocketAddress localAddress() {
    return server.getLocalSocketAddress();
  }

  /** Number of local connections currently spliced (each counts its local and guest socket once). */
  public int activeConnections() {
    return open.size() / 2;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket local;
      try {
        local = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("vsock tunnel to guest port {}: accept failed: {}", guestPort, e.toString());
        }
        return;
      }
      try {
        executor.execute(() -> serve(local));
      } catch (RuntimeException rejected) {
        Splice.closeQuietly(local);
      }
    }
  }

  private void serve(Socket local) {
    open.add(local);
    VsockConnection guest;
    try {
      guest = dialer.dial(guestPort);
    } catch (VsockException e) {
      LOG.warn("vsock tunnel: {}", e.getMessage());
      open.remove(local);
      Splice.closeQuietly(local);
      return;
    }
    Socket g = guest.socket();
    open.add(g);
    if (closed) {
      // close() may have run between the dial and the add above; do not leave this pair behind.
      Splice.closeQuietly(g);
      Splice.closeQuietly(local);
    }
    try {
      local.setTcpNoDelay(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Unix-socket clients have no Nagle; nothing to do.
    }
    Splice.run(local, g, executor, () -> {
      open.remove(local);
      open.remove(g);
    });
  }

  /** Stops accepting, closes every open connection, waits up to 2 s for the copy threads to end. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Splice.closeQuietly(server);
    open.forEach(Splice::closeQuietly);
    executor.shutdown();
    try {
      acceptor.join(2000);
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        open.forEach(Splice::closeQuietly);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (unixPath != null) {
      try {
        Files.deleteIfExists(unixPath);
      } catch (IOException e) {
        LOG.warn("vsock tunnel: could not remove {}: {}", unixPath, e.toString());
      }
    }
  }

  /** Configures a {@link VsockTunnel}; not thread-safe. */
  public static final class Builder {
    private HybridVsockDialer dialer;
    private int guestPort = -1;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int localPort;
    private Path unixPath;
    private int backlog = 1024;

    private Builder() {}

    public Builder dialer(HybridVsockDialer dialer) {
      this.dialer = Objects.requireNonNull(dialer, "dialer == null");
      return this;
    }

    public Builder guestPort(int port) {
      if (port < 0) {
        throw new IllegalArgumentException("guestPort < 0: " + port);
      }
      this.guestPort = port;
      return this;
    }

    /** Listen on TCP {@code address:port}; defaults to loopback and an ephemeral port (0). */
    public Builder tcp(InetAddress address, int port) {
      this.bindAddress = Objects.requireNonNull(address, "address == null");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.localPort = port;
      this.unixPath = null;
      return this;
    }

    /** Listen on a Unix socket at {@code path} instead of TCP; the file is removed on close. */
    public Builder unix(Path path) {
      this.unixPath = Objects.requireNonNull(path, "path == null");
      return this;
    }

    /** Accept backlog. Default 1024. */
    public Builder backlog(int backlog) {
      if (backlog < 1) {
        throw new IllegalArgumentException("backlog < 1: " + backlog);
      }
      this.backlog = backlog;
      return this;
    }

    /**
     * Binds the local side and starts accepting.
     *
     * @throws VsockIoException if the local address cannot be bound
     */
    public VsockTunnel build() {
      Objects.requireNonNull(dialer, "dialer == null");
      if (guestPort < 0) {
        throw new IllegalStateException("guestPort not set");
      }
      ServerSocket server = null;
      try {
        if (unixPath != null) {
          AFUNIXServerSocket s = AFUNIXServerSocket.newInstance();
          server = s;
          s.bind(AFUNIXSocketAddress.of(unixPath), backlog);
        } else {
          // Channel-backed, so accepted sockets have a SocketChannel and Splice can copy with direct buffers.
          server = java.nio.channels.ServerSocketChannel.open().socket();
          server.setReuseAddress(true);
          server.bind(new InetSocketAddress(bindAddress, localPort), backlog);
        }
        return new VsockTunnel(this, server);
      } catch (IOException e) {
        Splice.closeQuietly(server);
        Object where = unixPath != null ? unixPath : bindAddress.getHostAddress() + ":" + localPort;
        throw new VsockIoException("vsock tunnel: bind " + where + " for guest port " + guestPort + ": "
            + e.getMessage() + "; is the address in use?", e);
      }
    }
  }
}
