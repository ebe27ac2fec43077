package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.DaemonThreads;
import dev.virtualghost.vsock.internal.NativeTcpListener;
import dev.virtualghost.vsock.internal.OwnerOnlySocketFile;
import dev.virtualghost.vsock.internal.Splice;
import dev.virtualghost.vsock.internal.ZeroCopyRelay;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * in both directions with half-close passed on. On Linux the bytes move with splice(2), never entering the
 * JVM (see {@code ZeroCopyRelay}); elsewhere, or if native access fails, they are copied through direct buffers. Thread-safe. The caller closes the tunnel, which stops
 * accepting, closes every open connection, stops its threads and removes a Unix socket file it created.
 */
public final class VsockTunnel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VsockTunnel.class);

  private final HybridVsockDialer dialer;
  private final int guestPort;
  private final LocalListener listener;
  private final Path unixPath;
  private final ExecutorService executor;
  /** Every accepted connection until it is fully closed; aborting one wakes whatever serves it. */
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  private VsockTunnel(Builder b, LocalListener listener) {
    this.dialer = b.dialer;
    this.guestPort = b.guestPort;
    this.listener = listener;
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
    return unixPath == null ? ((InetSocketAddress) listener.address()).getPort() : -1;
  }

  /** The local address clients connect to (an InetSocketAddress or an AFUNIXSocketAddress). */
  public SocketAddress localAddress() {
    return listener.address();
  }

  /** Number of local connections accepted and not yet fully closed (dialing, relaying or closing). */
  public int activeConnections() {
    return links.size();
  }

  private void acceptLoop() {
    while (!closed) {
      LocalConnection local;
      try {
        local = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("vsock tunnel to guest port {}: accept failed: {}", guestPort, e.toString());
        }
        return;
      }
      try {
        executor.execute(() -> serve(local));
      } catch (RuntimeException rejected) {
        local.close();
      }
    }
  }

  private void serve(LocalConnection local) {
    Link link = new Link(local);
    links.add(link);
    if (closed) {
      link.abort();
    }
    VsockConnection guest;
    try {
      guest = dialer.dial(guestPort);
    } catch (VsockException e) {
      LOG.warn("vsock tunnel: {}", e.getMessage());
      local.close();
      links.remove(link);
      return;
    }
    Socket g = guest.socket();
    if (!link.guestDialed(g)) {
      // close() ran while we were dialing: do not leave this pair behind.
      Splice.closeQuietly(g);
      local.close();
      links.remove(link);
      return;
    }
    int guestFd = local.fd >= 0 ? ZeroCopyRelay.fdOf(g) : -1;
    if (local.fd >= 0 && guestFd >= 0) {
      ZeroCopyRelay.run(local.fd, guestFd, executor, link::relayStarted, local::close,
          () -> Splice.closeQuietly(g), () -> links.remove(link));
    } else {
      Splice.run(local.socket(), g, executor, () -> {
        local.close();
        links.remove(link);
      });
    }
  }

  /** Stops accepting, closes every open connection, waits up to 2 s for the copy threads to end. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    listener.close();
    links.forEach(Link::abort);
    executor.shutdown();
    try {
      acceptor.join(2000);
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        links.forEach(Link::abort);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One accepted connection and whatever relays it; {@link #abort()} wakes every thread serving it without
   * closing descriptors under them (the serving thread closes them once, when it is done).
   */
  private final class Link {
    private final LocalConnection local;
    private Socket guest;
    private ZeroCopyRelay relay;
    private boolean aborted;

    Link(LocalConnection local) {
      this.local = local;
    }

    /** Records the guest socket; false if the tunnel was closed meanwhile. */
    synchronized boolean guestDialed(Socket g) {
      this.guest = g;
      return !aborted;
    }

    synchronized void relayStarted(ZeroCopyRelay r) {
      this.relay = r;
      if (aborted) {
        r.abort();
      }
    }

    synchronized void abort() {
      aborted = true;
      if (relay != null) {
        relay.abort();
        return;
      }
      // Still dialing, or about to relay: waking the local side ends it; a relay attached later is aborted
      // by relayStarted(). The socket-copy path aborts by closing, as Splice expects.
      local.shutdown();
      if (guest != null && local.fd < 0) {
        Splice.closeQuietly(guest);
      }
    }
  }

  /** An accepted local connection: a libc descriptor (TCP, spliced) or a Java socket (Unix, or fallback). */
  private static final class LocalConnection {
    final int fd;
    private final Socket socket;
    private final AtomicBoolean closed = new AtomicBoolean();

    LocalConnection(int fd, Socket socket) {
      this.fd = fd;
      this.socket = socket;
    }

    Socket socket() {
      return socket;
    }

    void shutdown() {
      if (fd < 0) {
        Splice.closeQuietly(socket);
      } else if (!closed.get()) {
        ZeroCopyRelay.shutdownFd(fd);
      }
    }

    void close() {
      if (closed.compareAndSet(false, true)) {
        if (socket != null) {
          Splice.closeQuietly(socket);
        } else {
          ZeroCopyRelay.closeFd(fd);
        }
      }
    }
  }

  /** The local listening side: libc TCP (for splice) or a Java server socket (Unix socket). */
  private interface LocalListener {
    LocalConnection accept() throws IOException;

    SocketAddress address();

    void close();
  }

  private static LocalListener nativeTcp(NativeTcpListener l) {
    return new LocalListener() {
      @Override
      public LocalConnection accept() throws IOException {
        return new LocalConnection(l.accept(), null);
      }

      @Override
      public SocketAddress address() {
        return l.address();
      }

      @Override
      public void close() {
        l.close();
      }
    };
  }

  private static LocalListener unixServer(OwnerOnlySocketFile file, boolean zeroCopy) {
    LocalListener accepting = javaServer(file.server(), zeroCopy);
    return new LocalListener() {
      @Override
      public LocalConnection accept() throws IOException {
        return accepting.accept();
      }

      @Override
      public SocketAddress address() {
        try {
          return AFUNIXSocketAddress.of(file.path()); // the public name, not the private one it is bound to
        } catch (java.net.SocketException e) {
          return accepting.address();
        }
      }

      @Override
      public void close() {
        try {
          file.close();
        } catch (IOException e) {
          LOG.warn("vsock tunnel: could not remove {}: {}", file.path(), e.toString());
        }
      }
    };
  }

  private static LocalListener javaServer(ServerSocket server, boolean zeroCopy) {
    return new LocalListener() {
      @Override
      public LocalConnection accept() throws IOException {
        Socket s = server.accept();
        return new LocalConnection(zeroCopy ? ZeroCopyRelay.fdOf(s) : -1, s);
      }

      @Override
      public SocketAddress address() {
        return server.getLocalSocketAddress();
      }

      @Override
      public void close() {
        Splice.closeQuietly(server);
      }
    };
  }

  /** Configures a {@link VsockTunnel}; not thread-safe. */
  public static final class Builder {
    private HybridVsockDialer dialer;
    private int guestPort = -1;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int localPort;
    private Path unixPath;
    private int backlog = 1024;
    private boolean zeroCopy = true;

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

    /**
     * Whether bytes move with splice(2) inside the kernel (default, Linux) rather than through buffers in the
     * JVM. Turning it off is for comparing the two or for working around a kernel problem; where splice(2) is
     * unavailable the tunnel copies regardless.
     */
    public Builder zeroCopy(boolean zeroCopy) {
      this.zeroCopy = zeroCopy;
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
          OwnerOnlySocketFile file = OwnerOnlySocketFile.bind(unixPath, backlog);
          return new VsockTunnel(this, unixServer(file, zeroCopy && ZeroCopyRelay.available()));
        }
        if (zeroCopy && ZeroCopyRelay.available()) {
          // libc-made, so accepted connections are descriptors the relay can splice(2) without copies.
          return new VsockTunnel(this, nativeTcp(NativeTcpListener.bind(bindAddress, localPort, backlog)));
        }
        // Channel-backed, so accepted sockets have a SocketChannel and Splice can copy with direct buffers.
        server = java.nio.channels.ServerSocketChannel.open().socket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bindAddress, localPort), backlog);
        return new VsockTunnel(this, javaServer(server, false));
      } catch (IOException e) {
        Splice.closeQuietly(server);
        Object where = unixPath != null ? unixPath : bindAddress.getHostAddress() + ":" + localPort;
        throw new VsockIoException("vsock tunnel: bind " + where + " for guest port " + guestPort + ": "
            + e.getMessage() + "; is the address in use?", e);
      }
    }
  }
}
