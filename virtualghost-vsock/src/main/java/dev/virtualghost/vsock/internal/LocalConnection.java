package dev.virtualghost.vsock.internal;

import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection a tunnel accepted locally: a libc descriptor (TCP, moved with splice(2)) or a Java socket (Unix, or
 * the copying fallback). {@link #shutdown()} wakes whoever reads or writes it; {@link #close()} releases it once.
 * Thread-safe.
 */
public final class LocalConnection {
    private final int fd;
    private final Socket socket;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** {@code fd} >= 0 for a descriptor the relay may splice; {@code socket} may be null only then. */
    public LocalConnection(int fd, Socket socket) {
        this.fd = fd;
        this.socket = socket;
    }

    /** The descriptor to splice, or -1 when bytes go through {@link #socket()}. */
    public int fd() {
        return fd;
    }

    /** The Java socket, or null for a bare descriptor. */
    public Socket socket() {
        return socket;
    }

    /** Wakes a thread blocked on it without releasing the descriptor (a socket is closed: Splice expects that). */
    public void shutdown() {
        if (fd < 0) {
            Splice.closeQuietly(socket);
        } else if (!closed.get()) {
            ZeroCopyRelay.shutdownFd(fd);
        }
    }

    /** Closes it; idempotent. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (socket != null) {
                Splice.closeQuietly(socket);
            } else {
                ZeroCopyRelay.closeFd(fd);
            }
        }
    }
}
