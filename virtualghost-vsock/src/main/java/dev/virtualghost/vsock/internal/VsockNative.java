package dev.virtualghost.vsock.internal;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checked wrappers over {@link LibC} for AF_VSOCK: every -1 becomes an IOException carrying strerror(errno)
 * and what was attempted. Stateless and thread-safe.
 */
public final class VsockNative {

    /** AF_VSOCK from linux/socket.h. */
    public static final int AF_VSOCK = 40;

    public static final int SOCK_STREAM = 1;
    /** VMADDR_CID_ANY / VMADDR_PORT_ANY from linux/vm_sockets.h. */
    public static final int VMADDR_CID_ANY = -1;

    public static final int VMADDR_PORT_ANY = -1;
    /** sizeof(struct sockaddr_vm). */
    private static final int SOCKADDR_VM_LEN = 16;

    private static final int SHUT_WR = 1;
    private static final int SHUT_RDWR = 2;
    /** SOCK_CLOEXEC / SOCK_NONBLOCK (also EFD_CLOEXEC / EFD_NONBLOCK) from bits/socket_type.h. */
    private static final int SOCK_CLOEXEC = 02000000;

    private static final int SOCK_NONBLOCK = 04000;
    private static final short POLLIN = 0x1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ECONNABORTED = 103;

    private static final LibC C = Native.load("c", LibC.class);

    private VsockNative() {}

    /**
     * A close-on-exec AF_VSOCK stream socket (no descriptor leaks into processes this JVM starts).
     *
     * @param nonBlocking for a listening socket, so accept after poll cannot block when another thread took
     *     the connection first
     */
    public static int socket(boolean nonBlocking) throws IOException {
        int type = SOCK_STREAM | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0);
        return check(C.socket(AF_VSOCK, type, 0), "socket(AF_VSOCK, SOCK_STREAM)");
    }

    public static void bind(int fd, int cid, int port) throws IOException {
        check(
                C.bind(fd, sockaddr(cid, port), SOCKADDR_VM_LEN),
                "bind(cid " + Integer.toUnsignedString(cid) + ", port " + Integer.toUnsignedString(port) + ")");
    }

    public static void listen(int fd, int backlog) throws IOException {
        check(C.listen(fd, backlog), "listen");
    }

    /**
     * Waits for and accepts a connection on the non-blocking listening socket {@code listener}; returns
     * {fd, peer cid, peer port}, the new descriptor close-on-exec.
     *
     * <p>Waits in poll(2) on the socket and the guard's wake-up eventfd: on Linux neither close(2) nor
     * shutdown(2) (ENOTCONN on a listening vsock socket) wakes a thread blocked in accept(2).
     *
     * @throws IOException if the guard is closed (before or during the wait) or accept fails
     */
    public static int[] accept(Fd listener) throws IOException {
        int fd = listener.acquire();
        try {
            byte[] fds = new byte[16];
            ByteBuffer p = ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder());
            p.putInt(0, fd).putShort(4, POLLIN).putInt(8, listener.wake).putShort(12, POLLIN);
            while (true) {
                p.putShort(6, (short) 0).putShort(14, (short) 0);
                if (C.poll(fds, 2, -1) < 0) {
                    if (Native.getLastError() == EINTR) {
                        continue;
                    }
                    throw error("poll");
                }
                if (p.getShort(14) != 0 || listener.isClosed()) {
                    throw new IOException("vsock: accept: socket closed");
                }
                byte[] addr = new byte[SOCKADDR_VM_LEN];
                int[] len = {SOCKADDR_VM_LEN};
                int c = C.accept4(fd, addr, len, SOCK_CLOEXEC);
                if (c >= 0) {
                    ByteBuffer b = ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder());
                    return new int[] {c, b.getInt(8), b.getInt(4)};
                }
                int errno = Native.getLastError();
                if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
                    throw error("accept");
                }
            }
        } finally {
            listener.release();
        }
    }

    public static void connect(int fd, int cid, int port) throws IOException {
        check(
                C.connect(fd, sockaddr(cid, port), SOCKADDR_VM_LEN),
                "connect(cid " + Integer.toUnsignedString(cid) + ", port " + Integer.toUnsignedString(port) + ")");
    }

    /** Returns the bound local port (useful after binding VMADDR_PORT_ANY). */
    public static int localPort(int fd) throws IOException {
        byte[] addr = new byte[SOCKADDR_VM_LEN];
        int[] len = {SOCKADDR_VM_LEN};
        check(C.getsockname(fd, addr, len), "getsockname");
        return ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).getInt(4);
    }

    /** Reads into buf[0..len); returns -1 at EOF. */
    public static int read(int fd, byte[] buf, int len) throws IOException {
        long n;
        do {
            n = C.read(fd, buf, len);
        } while (n < 0 && Native.getLastError() == EINTR);
        if (n < 0) {
            throw error("read");
        }
        return n == 0 ? -1 : (int) n;
    }

    public static int write(int fd, byte[] buf, int len) throws IOException {
        long n;
        do {
            n = C.write(fd, buf, len);
        } while (n < 0 && Native.getLastError() == EINTR);
        if (n < 0) {
            throw error("write");
        }
        return (int) n;
    }

    public static void shutdownOutput(int fd) throws IOException {
        check(C.shutdown(fd, SHUT_WR), "shutdown(SHUT_WR)");
    }

    public static void close(int fd) throws IOException {
        check(C.close(fd), "close");
    }

    /** Closes a descriptor whose setup failed with {@code failure}; a close error is added to it as suppressed. */
    public static void closeAfterFailure(int fd, IOException failure) {
        if (fd < 0) {
            return;
        }
        try {
            close(fd);
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    /**
     * A socket descriptor that is closed exactly once, and only after the last thread using it has left its
     * system call: a thread that read the number before close() can never act on a reused descriptor.
     *
     * <p>{@link #close()} first wakes blocked callers: shutdown(SHUT_RDWR) makes read and write on a connected
     * socket return, and the wake-up eventfd ends {@link VsockNative#accept}'s poll. Thread-safe.
     */
    public static final class Fd {
        private final int fd;
        private final int wake;
        private int users;
        private boolean closed;
        private boolean released;

        /**
         * Guards {@code fd}, which this object now owns.
         *
         * @param listening whether accept will wait on it (then an eventfd is created to wake it)
         * @throws IOException if the eventfd cannot be created; {@code fd} is closed then
         */
        public Fd(int fd, boolean listening) throws IOException {
            this.fd = fd;
            int w = -1;
            if (listening) {
                w = C.eventfd(0, SOCK_CLOEXEC | SOCK_NONBLOCK);
                if (w < 0) {
                    IOException e = error("eventfd");
                    C.close(fd);
                    throw e;
                }
            }
            this.wake = w;
        }

        /**
         * Marks the descriptor in use by the calling thread; pair with {@link #release()} in a finally block.
         *
         * @throws IOException if it is closed
         */
        public synchronized int acquire() throws IOException {
            if (closed) {
                throw new IOException("vsock: socket closed");
            }
            users++;
            return fd;
        }

        /** Ends a use begun by {@link #acquire()}; the last user out of a closed guard closes the descriptor. */
        public void release() {
            boolean last;
            synchronized (this) {
                users--;
                last = closed && users == 0 && !released;
                released |= last;
            }
            if (last) {
                try {
                    closeNow();
                } catch (IOException ignored) {
                    // close(2) errors on a socket nobody can use any more have no one left to report to.
                }
            }
        }

        /** Whether {@link #close()} was called. */
        public synchronized boolean isClosed() {
            return closed;
        }

        /**
         * Wakes blocked users and closes the descriptor now, or when the last of them leaves. Idempotent.
         *
         * @throws IOException if close(2) fails (only reported when no thread was using the descriptor)
         */
        public void close() throws IOException {
            boolean now;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                now = users == 0;
                released = now;
            }
            if (!now) {
                if (wake >= 0) {
                    byte[] one = ByteBuffer.allocate(8)
                            .order(ByteOrder.nativeOrder())
                            .putLong(1)
                            .array();
                    C.write(wake, one, 8);
                }
                // On a listening socket this fails with ENOTCONN and wakes nobody; the eventfd covers accept.
                C.shutdown(fd, SHUT_RDWR);
                return;
            }
            closeNow();
        }

        private void closeNow() throws IOException {
            if (wake >= 0) {
                C.close(wake);
            }
            VsockNative.close(fd);
        }
    }

    private static byte[] sockaddr(int cid, int port) {
        // struct sockaddr_vm { sa_family_t svm_family; u16 reserved; u32 port; u32 cid; u8 zero[4]; }
        ByteBuffer b = ByteBuffer.allocate(SOCKADDR_VM_LEN).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_VSOCK).putShort((short) 0).putInt(port).putInt(cid);
        return b.array();
    }

    private static int check(int rc, String what) throws IOException {
        if (rc < 0) {
            throw error(what);
        }
        return rc;
    }

    private static IOException error(String what) {
        int errno = Native.getLastError();
        return new IOException("vsock: " + what + " failed: " + C.strerror(errno) + " (errno " + errno + ")");
    }
}
