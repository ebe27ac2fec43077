package dev.virtualghost.vfio.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;

/**
 * The few libc calls the host checks and the device claims need, through JNA. Calls that fail throw {@link LastErrorException} carrying
 * errno; {@link #describe(LastErrorException)} turns it into strerror text. Thread-safe (libc is).
 */
public interface LibC extends Library {

    /** The loaded C library. */
    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDWR = 2;
    int O_CLOEXEC = 0x80000;
    /** RLIMIT_MEMLOCK on Linux (asm-generic/resource.h). */
    int RLIMIT_MEMLOCK = 8;

    int O_CREAT = 0100;
    int O_NOFOLLOW = 0400000;
    int LOCK_EX = 2;
    int LOCK_NB = 4;
    /** EWOULDBLOCK: flock(2) with LOCK_NB on a file another open file description has locked. */
    int EWOULDBLOCK = 11;

    int open(String path, int flags) throws LastErrorException;

    int open(String path, int flags, int mode) throws LastErrorException;

    int flock(int fd, int operation) throws LastErrorException;

    int ftruncate(int fd, NativeLong length) throws LastErrorException;

    NativeLong pwrite(int fd, byte[] buf, NativeLong count, NativeLong offset) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int ioctl(int fd, NativeLong request, NativeLong arg) throws LastErrorException;

    int geteuid();

    int getrlimit(int resource, RLimit limit) throws LastErrorException;

    String strerror(int errnum);

    /** struct rlimit: two rlim_t (unsigned long); RLIM_INFINITY is all ones (-1 here). */
    @Structure.FieldOrder({"rlim_cur", "rlim_max"})
    final class RLimit extends Structure {
        public NativeLong rlim_cur;
        public NativeLong rlim_max;
    }

    /** "Operation not permitted (errno 1)". */
    static String describe(LastErrorException e) {
        return INSTANCE.strerror(e.getErrorCode()) + " (errno " + e.getErrorCode() + ")";
    }
}
