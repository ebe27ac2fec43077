package dev.virtualghost.vsock.internal;

import com.sun.jna.Library;

/** The libc calls AF_VSOCK needs (see socket(2), vsock(7)); only {@link VsockNative} calls these. */
interface LibC extends Library {
    int socket(int domain, int type, int protocol);

    int bind(int fd, byte[] addr, int len);

    int listen(int fd, int backlog);

    int accept(int fd, byte[] addr, int[] len);

    int accept4(int fd, byte[] addr, int[] len, int flags);

    /** {@code fds} holds struct pollfd entries: int fd, short events, short revents (8 bytes each). */
    int poll(byte[] fds, long nfds, int timeout);

    int eventfd(int initval, int flags);

    int connect(int fd, byte[] addr, int len);

    int getsockname(int fd, byte[] addr, int[] len);

    long read(int fd, byte[] buf, long count);

    long write(int fd, byte[] buf, long count);

    int shutdown(int fd, int how);

    int close(int fd);

    String strerror(int errnum);
}
