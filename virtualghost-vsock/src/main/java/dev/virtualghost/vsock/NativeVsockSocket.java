package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.VsockNative;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A native AF_VSOCK stream socket, for code that runs inside the guest (the host side of CH's hybrid vsock is
 * a Unix socket: use {@link HybridVsockDialer} there).
 *
 * <p>One reader and one writer thread may use the streams concurrently, and any thread may close the socket,
 * which wakes them. The descriptor is close-on-exec. The caller closes the socket; closing either stream
 * closes it too.
 */
public final class NativeVsockSocket implements AutoCloseable {

    /** The host, as seen from a guest (VMADDR_CID_HOST). */
    public static final int CID_HOST = 2;

    private final VsockNative.Fd fd;
    private final int peerCid;
    private final int peerPort;
    private final InputStream in = new In();
    private final OutputStream out = new Out();

    NativeVsockSocket(int fd, int peerCid, int peerPort) throws IOException {
        this.fd = new VsockNative.Fd(fd, false);
        this.peerCid = peerCid;
        this.peerPort = peerPort;
    }

    /**
     * Connects to {@code cid:port} (e.g. {@link #CID_HOST}); blocks until the peer accepts or refuses.
     *
     * @param cid the peer's context id, e.g. {@link #CID_HOST}
     * @param port the peer's vsock port
     * @return the connected socket, which the caller owns and must {@link #close()}
     * @throws VsockIoException with strerror if AF_VSOCK is missing or the peer refuses
     */
    public static NativeVsockSocket connect(int cid, int port) {
        int fd = -1;
        try {
            fd = VsockNative.socket(false);
            VsockNative.connect(fd, cid, port);
            int owned = fd;
            fd = -1; // the guard owns it now, and closes it even if it fails
            return new NativeVsockSocket(owned, cid, port);
        } catch (IOException e) {
            VsockNative.closeAfterFailure(fd, e);
            throw new VsockIoException(e.getMessage() + "; is this running inside a VM with a vsock device?", e);
        }
    }

    /**
     * Returns the peer's context id.
     *
     * @return the CID connected to, or the connecting peer's CID for an accepted socket
     */
    public int peerCid() {
        return peerCid;
    }

    /**
     * Returns the peer's vsock port.
     *
     * @return the port connected to, or the connecting peer's (ephemeral) port for an accepted socket
     */
    public int peerPort() {
        return peerPort;
    }

    /**
     * Returns the stream of bytes from the peer; closing it closes the socket.
     *
     * @return the same stream on every call; for one reader thread at a time
     */
    public InputStream inputStream() {
        return in;
    }

    /**
     * Returns the stream of bytes to the peer; each write sends all its bytes before returning. Closing it closes
     * the socket.
     *
     * @return the same stream on every call; for one writer thread at a time
     */
    public OutputStream outputStream() {
        return out;
    }

    /**
     * Half-closes: the peer reads EOF, we can still read.
     *
     * @throws IOException if the socket is closed or shutdown(2) fails
     */
    public void shutdownOutput() throws IOException {
        int f = fd.acquire();
        try {
            VsockNative.shutdownOutput(f);
        } finally {
            fd.release();
        }
    }

    /**
     * Closes the socket: shutdown(SHUT_RDWR) first, so a thread blocked in read or write returns, and the
     * descriptor itself once that thread has left the system call. Idempotent.
     *
     * @throws IOException if close(2) fails
     */
    @Override
    public void close() throws IOException {
        fd.close();
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int f = fd.acquire();
            try {
                if (off == 0) {
                    return VsockNative.read(f, b, len);
                }
                byte[] tmp = new byte[len];
                int n = VsockNative.read(f, tmp, len);
                if (n > 0) {
                    System.arraycopy(tmp, 0, b, off, n);
                }
                return n;
            } finally {
                fd.release();
            }
        }

        @Override
        public void close() throws IOException {
            NativeVsockSocket.this.close();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            int f = fd.acquire();
            try {
                byte[] src = off == 0 ? b : java.util.Arrays.copyOfRange(b, off, off + len);
                int done = 0;
                while (done < len) {
                    byte[] chunk = done == 0 ? src : java.util.Arrays.copyOfRange(src, done, len);
                    done += VsockNative.write(f, chunk, len - done);
                }
            } finally {
                fd.release();
            }
        }

        @Override
        public void close() throws IOException {
            NativeVsockSocket.this.close();
        }
    }
}
