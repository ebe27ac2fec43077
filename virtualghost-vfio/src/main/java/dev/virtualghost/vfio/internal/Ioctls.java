package dev.virtualghost.vfio.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

/**
 * Opens a character device and issues argument-less ioctls, closing the descriptor afterwards. The request numbers
 * are the kernel's {@code _IO(type, nr)} values: linux/vfio.h ({@code VFIO_TYPE} ';' base 100) and linux/kvm.h
 * ({@code KVMIO} 0xAE). Stateless.
 */
public final class Ioctls {
    /** VFIO_GET_API_VERSION = _IO(';', 100); returns VFIO_API_VERSION (0). */
    public static final long VFIO_GET_API_VERSION = (';' << 8) | 100;
    /** VFIO_CHECK_EXTENSION = _IO(';', 101); arg is the extension, returns &gt; 0 when supported. */
    public static final long VFIO_CHECK_EXTENSION = (';' << 8) | 101;

    public static final int VFIO_TYPE1_IOMMU = 1;
    public static final int VFIO_TYPE1V2_IOMMU = 3;
    /** KVM_GET_API_VERSION = _IO(0xAE, 0x00); returns 12 on every kernel since 2.6.22. */
    public static final long KVM_GET_API_VERSION = 0xAE00;

    private Ioctls() {}

    /** Result of one ioctl per request on a freshly opened device, in order. */
    public static long[] query(String device, long[][] requests) throws LastErrorException {
        LibC c = LibC.INSTANCE;
        int fd = c.open(device, LibC.O_RDWR | LibC.O_CLOEXEC);
        try {
            long[] out = new long[requests.length];
            for (int i = 0; i < requests.length; i++) {
                out[i] = c.ioctl(fd, new NativeLong(requests[i][0]), new NativeLong(requests[i][1]));
            }
            return out;
        } finally {
            c.close(fd);
        }
    }
}
