package dev.virtualghost.vsock.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls of the zero-copy tunnel relay: a loopback TCP listener (socket(2), bind(2), listen(2),
 * accept4(2)) and splice(2) through a pipe. Each returns -1 and sets errno on failure; callers read
 * {@link Native#getLastError()}. Only {@link NativeTcpListener} and {@link ZeroCopyRelay} use it.
 */
interface RelayLibC extends Library {

    RelayLibC INSTANCE = Native.load("c", RelayLibC.class);

    // Linux values, identical on x86-64 and aarch64 (asm-generic).
    int AF_INET = 2;
    int AF_INET6 = 10;
    int SOCK_STREAM = 1;
    int SOCK_CLOEXEC = 0x80000;
    int O_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_REUSEADDR = 2;
    int IPPROTO_TCP = 6;
    int TCP_NODELAY = 1;
    int SHUT_WR = 1;
    int SHUT_RDWR = 2;
    int F_SETPIPE_SZ = 1031;
    int SPLICE_F_MOVE = 1;
    int EINTR = 4;
    int EAGAIN = 11;

    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int name, int[] value, int len);

    int bind(int fd, byte[] addr, int len);

    int listen(int fd, int backlog);

    int accept4(int fd, Pointer addr, Pointer len, int flags);

    int getsockname(int fd, byte[] addr, int[] len);

    int pipe2(int[] fds, int flags);

    int fcntl(int fd, int cmd, int arg);

    long splice(int fdIn, Pointer offIn, int fdOut, Pointer offOut, long len, int flags);

    int shutdown(int fd, int how);

    int close(int fd);

    String strerror(int errnum);
}
