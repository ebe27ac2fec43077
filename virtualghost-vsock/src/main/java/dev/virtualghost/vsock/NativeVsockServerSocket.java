package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.VsockNative;
import java.io.IOException;

/**
 * A native AF_VSOCK listening socket, for code inside the guest (e.g. a service the host dials through CH's
 * hybrid vsock). Thread-safe: any thread may close it, also while another is blocked in {@link #accept()}. The
 * descriptors are close-on-exec. The caller closes it.
 */
public final class NativeVsockServerSocket implements AutoCloseable {

    /** VMADDR_CID_ANY: accept on whatever CID this machine has. */
    public static final int CID_ANY = VsockNative.VMADDR_CID_ANY;
    /** VMADDR_PORT_ANY: let the kernel pick a port; read it back with {@link #localPort()}. */
    public static final int PORT_ANY = VsockNative.VMADDR_PORT_ANY;

    private final VsockNative.Fd fd;
    private final int localPort;

    private NativeVsockServerSocket(VsockNative.Fd fd, int localPort) {
        this.fd = fd;
        this.localPort = localPort;
    }

    /**
     * Binds {@code cid:port} and listens.
     *
     * @param cid the local CID to accept on, usually {@link #CID_ANY}
     * @param port the port to listen on, or {@link #PORT_ANY}
     * @param backlog the kernel's queue length for connections not yet accepted
     * @return the listening socket, which the caller owns and must {@link #close()}
     * @throws VsockIoException with strerror if AF_VSOCK is unavailable or the port is taken
     */
    public static NativeVsockServerSocket bind(int cid, int port, int backlog) {
        int fd = -1;
        try {
            fd = VsockNative.socket(true);
            VsockNative.bind(fd, cid, port);
            VsockNative.listen(fd, backlog);
            int local = VsockNative.localPort(fd);
            int owned = fd;
            fd = -1; // the guard owns it now, and closes it even if it fails
            return new NativeVsockServerSocket(new VsockNative.Fd(owned, true), local);
        } catch (IOException e) {
            VsockNative.closeAfterFailure(fd, e);
            throw new VsockIoException(e.getMessage() + "; is the vsock kernel module loaded and the port free?", e);
        }
    }

    /**
     * Returns the port this socket listens on.
     *
     * @return the bound port (the kernel's choice after {@link #PORT_ANY})
     */
    public int localPort() {
        return localPort;
    }

    /**
     * Blocks until a peer connects; {@link #close()} from another thread ends the wait.
     *
     * @return the accepted connection, which the caller owns and must close
     * @throws VsockIoException if accept fails, including when the socket is closed before or during the wait
     */
    public NativeVsockSocket accept() {
        try {
            int[] r = VsockNative.accept(fd);
            return new NativeVsockSocket(r[0], r[1], r[2]);
        } catch (IOException e) {
            throw new VsockIoException(e.getMessage() + " on vsock port " + Integer.toUnsignedString(localPort), e);
        }
    }

    /**
     * Stops listening and wakes a thread blocked in {@link #accept()}; the descriptor is released once that
     * thread has left the system call. Idempotent.
     *
     * @throws IOException if close(2) fails
     */
    @Override
    public void close() throws IOException {
        fd.close();
    }
}
