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
   * Connects to {@code cid:port} (e.g. {@link #CID_HOST}).
   *
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

  public int peerCid() {
    return peerCid;
  }

  public int peerPort() {
    return peerPort;
  }

  public InputStream inputStream() {
    return in;
  }

  public OutputStream outputStream() {
    return out;
  }

  /** Half-close: the peer reads EOF, we can still read. */
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
