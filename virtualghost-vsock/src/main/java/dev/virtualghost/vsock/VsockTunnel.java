package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.DaemonThreads;
import dev.virtualghost.vsock.internal.LocalConnection;
import dev.virtualghost.vsock.internal.LocalListener;
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
import java.util.concurrent.atomic.AtomicInteger;
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
 * JVM (see {@code ZeroCopyRelay}); elsewhere, or if native access fails, they are copied through direct buffers.
 * At most {@link Builder#maxConnections(int)} local connections are open at once (default 1023, CH's own limit per
 * VM); one more is closed as soon as it is accepted and a warning says why. Thread-safe. The caller closes the
 * tunnel, which stops
 * accepting, closes every open connection, stops its threads and removes a Unix socket file it created.
 */
public final class VsockTunnel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VsockTunnel.class);
    /**
     * Cloud Hypervisor's limit on concurrent vsock connections per VM (its muxer refuses more), and this tunnel's
     * default cap, so a flood of local clients is refused here, with a log line, instead of by CH.
     */
    public static final int CH_MAX_CONNECTIONS = 1023;

    private final HybridVsockDialer dialer;
    private final int guestPort;
    private final LocalListener listener;
    private final Path unixPath;
    private final ExecutorService executor;
    /** Every accepted connection until it is fully closed; aborting one wakes whatever serves it. */
    private final Set<Link> links = ConcurrentHashMap.newKeySet();

    private final Thread acceptor;
    private final int maxConnections;
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean closed;

    private VsockTunnel(Builder b, LocalListener listener) {
        this.maxConnections = b.maxConnections;
        this.dialer = b.dialer;
        this.guestPort = b.guestPort;
        this.listener = listener;
        this.unixPath = b.unixPath;
        this.executor = Executors.newCachedThreadPool(new DaemonThreads("vsock-tunnel-" + guestPort));
        this.acceptor = new DaemonThreads("vsock-tunnel-accept-" + guestPort).newThread(this::acceptLoop);
        this.acceptor.start();
    }

    /**
     * Returns a new builder; {@link Builder#dialer(HybridVsockDialer)} and {@link Builder#guestPort(int)} are
     * required.
     *
     * @return a builder for a loopback TCP tunnel on an ephemeral port, zero-copy where available
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the local TCP port clients connect to.
     *
     * @return the bound TCP port (the kernel's choice when 0 was asked), or -1 for a Unix-socket tunnel
     */
    public int localPort() {
        return unixPath == null ? ((InetSocketAddress) listener.address()).getPort() : -1;
    }

    /**
     * Returns the local address clients connect to.
     *
     * @return an {@link InetSocketAddress} for a TCP tunnel, a junixsocket {@code AFUNIXSocketAddress} for a Unix one
     */
    public SocketAddress localAddress() {
        return listener.address();
    }

    /**
     * Returns how many local connections are open now.
     *
     * @return the local connections accepted and not yet fully closed (dialing, relaying or closing)
     */
    public int activeConnections() {
        return links.size();
    }

    /**
     * Returns how many local connections were refused so far because {@link Builder#maxConnections(int)} were open.
     *
     * @return the count since the tunnel was built
     */
    public int refusedConnections() {
        return refused.get();
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
            // Only this thread adds links, so the check cannot be raced past the cap.
            if (links.size() >= maxConnections) {
                refused.incrementAndGet();
                LOG.warn(
                        "vsock tunnel to guest port {}: refused a local connection: {} are open, the most this tunnel"
                                + " allows ({}; cloud-hypervisor takes at most {} per VM); close some, or raise"
                                + " VsockTunnel.Builder.maxConnections",
                        guestPort,
                        links.size(),
                        maxConnections,
                        CH_MAX_CONNECTIONS);
                local.close();
                continue;
            }
            Link link = new Link(local);
            links.add(link);
            try {
                executor.execute(() -> serve(link));
            } catch (RuntimeException rejected) {
                links.remove(link);
                local.close();
            }
        }
    }

    private void serve(Link link) {
        LocalConnection local = link.local;
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
        int guestFd = local.fd() >= 0 ? ZeroCopyRelay.fdOf(g) : -1;
        if (local.fd() >= 0 && guestFd >= 0) {
            ZeroCopyRelay.run(
                    local.fd(),
                    guestFd,
                    executor,
                    link::relayStarted,
                    local::close,
                    () -> Splice.closeQuietly(g),
                    () -> links.remove(link));
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
            if (guest != null && local.fd() < 0) {
                Splice.closeQuietly(guest);
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
        private boolean zeroCopy = true;
        private int maxConnections = CH_MAX_CONNECTIONS;

        private Builder() {}

        /**
         * Sets the dialer each local connection uses to reach the guest. Required.
         *
         * @param dialer the dialer for the VM's hybrid vsock socket; its deadline bounds each connection's dial
         * @return this builder
         * @throws NullPointerException if {@code dialer} is null
         */
        public Builder dialer(HybridVsockDialer dialer) {
            this.dialer = Objects.requireNonNull(dialer, "dialer == null");
            return this;
        }

        /**
         * Sets the guest vsock port each local connection is forwarded to. Required.
         *
         * @param port the guest's vsock port, e.g. 22
         * @return this builder
         * @throws IllegalArgumentException if {@code port} is negative
         */
        public Builder guestPort(int port) {
            if (port < 0) {
                throw new IllegalArgumentException("guestPort < 0: " + port);
            }
            this.guestPort = port;
            return this;
        }

        /**
         * Listens on TCP {@code address:port}; defaults to loopback and an ephemeral port (0). Replaces an earlier
         * {@link #unix(Path)}. Anyone who can reach the address reaches the guest port: prefer loopback.
         *
         * @param address the local address to bind, e.g. {@link InetAddress#getLoopbackAddress()}
         * @param port the local TCP port, 0 for one the kernel picks
         * @return this builder
         * @throws NullPointerException if {@code address} is null
         * @throws IllegalArgumentException if {@code port} is outside 0..65535
         */
        public Builder tcp(InetAddress address, int port) {
            this.bindAddress = Objects.requireNonNull(address, "address == null");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.localPort = port;
            this.unixPath = null;
            return this;
        }

        /**
         * Listens on a Unix socket at {@code path} instead of TCP; the file is created connectable by its owner only
         * (0600) and removed on close.
         *
         * @param path the socket file to create in an existing directory; a stale socket of this user there is
         *     replaced, anything else there makes {@link #build()} fail
         * @return this builder
         * @throws NullPointerException if {@code path} is null
         */
        public Builder unix(Path path) {
            this.unixPath = Objects.requireNonNull(path, "path == null");
            return this;
        }

        /**
         * Whether bytes move with splice(2) inside the kernel (default, Linux) rather than through buffers in the
         * JVM. Turning it off is for comparing the two or for working around a kernel problem; where splice(2) is
         * unavailable the tunnel copies regardless.
         *
         * @param zeroCopy false to copy through JVM buffers even where splice(2) works
         * @return this builder
         */
        public Builder zeroCopy(boolean zeroCopy) {
            this.zeroCopy = zeroCopy;
            return this;
        }

        /**
         * Most local connections open at once; more are accepted and closed at once, with a warning in the log.
         * Default {@link #CH_MAX_CONNECTIONS} (1023), the most CH carries for one VM.
         *
         * @param max the cap, one or more
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is less than 1
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections < 1: " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Sets the kernel's queue length for local connections not yet accepted. Default 1024.
         *
         * @param backlog the listen(2) backlog, one or more
         * @return this builder
         * @throws IllegalArgumentException if {@code backlog} is less than 1
         */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog < 1: " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * Binds the local side and starts accepting; the guest is dialed only when a local client connects.
         *
         * @return the running tunnel, which the caller owns and must {@link VsockTunnel#close() close}
         * @throws NullPointerException if no dialer was set
         * @throws IllegalStateException if no guest port was set
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
                    return new VsockTunnel(this, LocalListener.unixServer(file, zeroCopy && ZeroCopyRelay.available()));
                }
                if (zeroCopy && ZeroCopyRelay.available()) {
                    // libc-made, so accepted connections are descriptors the relay can splice(2) without copies.
                    return new VsockTunnel(
                            this, LocalListener.nativeTcp(NativeTcpListener.bind(bindAddress, localPort, backlog)));
                }
                // Channel-backed, so accepted sockets have a SocketChannel and Splice can copy with direct buffers.
                server = java.nio.channels.ServerSocketChannel.open().socket();
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(bindAddress, localPort), backlog);
                return new VsockTunnel(this, LocalListener.javaServer(server, false));
            } catch (IOException e) {
                Splice.closeQuietly(server);
                Object where = unixPath != null ? unixPath : bindAddress.getHostAddress() + ":" + localPort;
                throw new VsockIoException(
                        "vsock tunnel: bind " + where + " for guest port " + guestPort + ": " + e.getMessage()
                                + "; is the address in use?",
                        e);
            }
        }
    }
}
