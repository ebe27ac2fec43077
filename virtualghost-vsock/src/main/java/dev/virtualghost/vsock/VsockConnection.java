package dev.virtualghost.vsock;

import dev.virtualghost.vsock.internal.HalfClose;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A connected host-to-guest stream over CH's hybrid vsock, after the {@code OK} handshake.
 *
 * <p>The first byte of {@link #inputStream()} is the first byte the guest sent: the dialer reads the
 * {@code OK} line byte by byte so nothing is swallowed. Streams may be used by one reader and one writer
 * thread at a time. The caller owns the connection and must {@link #close()} it.
 */
public final class VsockConnection implements AutoCloseable {

  private final Socket socket;
  private final int guestPort;
  private final int hostPort;

  VsockConnection(Socket socket, int guestPort, int hostPort) {
    this.socket = socket;
    this.guestPort = guestPort;
    this.hostPort = hostPort;
  }

  /** The guest vsock port this connection was dialed to. */
  public int guestPort() {
    return guestPort;
  }

  /** The host-side port number CH reported in its {@code OK <n>} acknowledgement. */
  public int hostPort() {
    return hostPort;
  }

  /** Bytes from the guest. */
  public InputStream inputStream() throws IOException {
    return socket.getInputStream();
  }

  /** Bytes to the guest. */
  public OutputStream outputStream() throws IOException {
    return socket.getOutputStream();
  }

  /** Half-close: tells the guest we will send no more, keeps reading open. */
  public void shutdownOutput() throws IOException {
    HalfClose.shutdownOutput(socket);
  }

  /** Stops reading; the guest's further bytes are discarded. */
  public void shutdownInput() throws IOException {
    HalfClose.shutdownInput(socket);
  }

  /** The underlying Unix socket (for timeouts or buffer sizes); closing it closes this connection. */
  public Socket socket() {
    return socket;
  }

  public boolean isClosed() {
    return socket.isClosed();
  }

  /** Closes both directions; idempotent. */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  @Override
  public String toString() {
    return "VsockConnection[guestPort=" + guestPort + ", hostPort=" + hostPort + "]";
  }
}
