package dev.virtualghost.vsock.internal;

import com.sun.jna.Native;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listening TCP socket made with libc, so that accepted connections are plain file descriptors that
 * {@link ZeroCopyRelay} can splice(2). The JDK's sockets do not expose their descriptors without
 * {@code --add-opens}, which a library cannot ask of its users.
 *
 * <p>Thread-safe: one thread blocks in {@link #accept()}; {@link #close()} from another thread wakes it
 * (shutdown(2) on a listening socket makes a blocked accept(2) fail with EINVAL on Linux), then closes the fd.
 */
public final class NativeTcpListener implements AutoCloseable {

    private static final RelayLibC C = RelayLibC.INSTANCE;

    private final int fd;
    private final InetSocketAddress address;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NativeTcpListener(int fd, InetSocketAddress address) {
        this.fd = fd;
        this.address = address;
    }

    /**
     * Binds {@code address:port} (port 0 picks a free one) with SO_REUSEADDR and listens.
     *
     * @throws IOException with strerror's text if any step fails; nothing is left open then
     */
    public static NativeTcpListener bind(InetAddress address, int port, int backlog) throws IOException {
        boolean v6 = address instanceof Inet6Address;
        int fd = C.socket(
                v6 ? RelayLibC.AF_INET6 : RelayLibC.AF_INET, RelayLibC.SOCK_STREAM | RelayLibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw error("socket");
        }
        try {
            check(C.setsockopt(fd, RelayLibC.SOL_SOCKET, RelayLibC.SO_REUSEADDR, new int[] {1}, 4), "setsockopt");
            byte[] sa = v6 ? sockaddrIn6((Inet6Address) address, port) : sockaddrIn((Inet4Address) address, port);
            check(C.bind(fd, sa, sa.length), "bind");
            check(C.listen(fd, backlog), "listen");
            byte[] bound = new byte[sa.length];
            check(C.getsockname(fd, bound, new int[] {bound.length}), "getsockname");
            int boundPort = ((bound[2] & 0xff) << 8) | (bound[3] & 0xff);
            return new NativeTcpListener(fd, new InetSocketAddress(address, boundPort));
        } catch (IOException e) {
            C.close(fd);
            throw e;
        }
    }

    /** The bound address and port. */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * Waits for a connection and returns its descriptor (close-on-exec, TCP_NODELAY set); the caller owns it.
     *
     * @throws IOException if accept fails, including because the listener was closed
     */
    public int accept() throws IOException {
        while (true) {
            int c = C.accept4(fd, null, null, RelayLibC.SOCK_CLOEXEC);
            if (c >= 0) {
                // Interactive traffic (SSH) must not wait for Nagle; a failure here only costs latency.
                C.setsockopt(c, RelayLibC.IPPROTO_TCP, RelayLibC.TCP_NODELAY, new int[] {1}, 4);
                return c;
            }
            int errno = Native.getLastError();
            if (closed.get()) {
                throw new IOException("listener closed");
            }
            if (errno != RelayLibC.EINTR && errno != RelayLibC.EAGAIN) {
                throw new IOException("accept: " + C.strerror(errno));
            }
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            C.shutdown(fd, RelayLibC.SHUT_RDWR);
            C.close(fd);
        }
    }

    /** struct sockaddr_in: family in host order (little-endian on x86-64/aarch64), port and address big-endian. */
    private static byte[] sockaddrIn(Inet4Address a, int port) {
        byte[] sa = new byte[16];
        sa[0] = (byte) RelayLibC.AF_INET;
        sa[2] = (byte) (port >>> 8);
        sa[3] = (byte) port;
        System.arraycopy(a.getAddress(), 0, sa, 4, 4);
        return sa;
    }

    /** struct sockaddr_in6: family, port, flowinfo (0), 16-byte address, scope id. */
    private static byte[] sockaddrIn6(Inet6Address a, int port) {
        byte[] sa = new byte[28];
        sa[0] = (byte) RelayLibC.AF_INET6;
        sa[2] = (byte) (port >>> 8);
        sa[3] = (byte) port;
        System.arraycopy(a.getAddress(), 0, sa, 8, 16);
        int scope = a.getScopeId();
        sa[24] = (byte) scope;
        sa[25] = (byte) (scope >>> 8);
        sa[26] = (byte) (scope >>> 16);
        sa[27] = (byte) (scope >>> 24);
        return sa;
    }

    private static void check(int rc, String call) throws IOException {
        if (rc < 0) {
            throw error(call);
        }
    }

    private static IOException error(String call) {
        return new IOException(call + ": " + C.strerror(Native.getLastError()));
    }
}
