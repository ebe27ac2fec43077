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
  private static final int EINTR = 4;

  private static final LibC C = Native.load("c", LibC.class);

  private VsockNative() {}

  public static int socket() throws IOException {
    return check(C.socket(AF_VSOCK, SOCK_STREAM, 0), "socket(AF_VSOCK, SOCK_STREAM)");
  }

  public static void bind(int fd, int cid, int port) throws IOException {
    check(C.bind(fd, sockaddr(cid, port), SOCKADDR_VM_LEN), "bind(cid " + Integer.toUnsignedString(cid)
        + ", port " + Integer.toUnsignedString(port) + ")");
  }

  public static void listen(int fd, int backlog) throws IOException {
    check(C.listen(fd, backlog), "listen");
  }

  /** Returns {fd, peer cid, peer port}. */
  public static int[] accept(int fd) throws IOException {
    byte[] addr = new byte[SOCKADDR_VM_LEN];
    int[] len = {SOCKADDR_VM_LEN};
    int c;
    do {
      c = C.accept(fd, addr, len);
    } while (c < 0 && Native.getLastError() == EINTR);
    check(c, "accept");
    ByteBuffer b = ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder());
    return new int[] {c, b.getInt(8), b.getInt(4)};
  }

  public static void connect(int fd, int cid, int port) throws IOException {
    check(C.connect(fd, sockaddr(cid, port), SOCKADDR_VM_LEN), "connect(cid "
        + Integer.toUnsignedString(cid) + ", port " + Integer.toUnsignedString(port) + ")");
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
