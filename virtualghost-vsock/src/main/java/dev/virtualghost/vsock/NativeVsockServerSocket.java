package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.VsockNative;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A native AF_VSOCK listening socket, for code inside the guest (e.g. a service the host dials through CH's
 * hybrid vsock). Thread-safe for one accepting thread; the caller closes it.
 */
public final class NativeVsockServerSocket implements AutoCloseable {

  /** VMADDR_CID_ANY: accept on whatever CID this machine has. */
  public static final int CID_ANY = VsockNative.VMADDR_CID_ANY;
  /** VMADDR_PORT_ANY: let the kernel pick a port; read it back with {@link #localPort()}. */
  public static final int PORT_ANY = VsockNative.VMADDR_PORT_ANY;

  private final int fd;
  private final int localPort;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NativeVsockServerSocket(int fd, int localPort) {
    this.fd = fd;
    this.localPort = localPort;
  }

  /**
   * Binds {@code cid:port} and listens.
   *
   * @throws VsockIoException with strerror if AF_VSOCK is unavailable or the port is taken
   */
  public static NativeVsockServerSocket bind(int cid, int port, int backlog) {
    int fd = -1;
    try {
      fd = VsockNative.socket();
      VsockNative.bind(fd, cid, port);
      VsockNative.listen(fd, backlog);
      return new NativeVsockServerSocket(fd, VsockNative.localPort(fd));
    } catch (IOException e) {
      if (fd >= 0) {
        try {
          VsockNative.close(fd);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new VsockIoException(e.getMessage() + "; is the vsock kernel module loaded and the port free?", e);
    }
  }

  /** The bound port (the kernel's choice after {@link #PORT_ANY}). */
  public int localPort() {
    return localPort;
  }

  /**
   * Blocks until a peer connects.
   *
   * @throws VsockIoException if accept fails (including after close)
   */
  public NativeVsockSocket accept() {
    try {
      int[] r = VsockNative.accept(fd);
      return new NativeVsockSocket(r[0], r[1], r[2]);
    } catch (IOException e) {
      throw new VsockIoException(e.getMessage() + " on vsock port " + Integer.toUnsignedString(localPort), e);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      VsockNative.close(fd);
    }
  }
}
