package dev.virtualghost.vfio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The single seam through which every sysfs write passes ({@code driver_override}, {@code unbind}, {@code bind},
 * {@code drivers_probe}). The real implementation writes the file; tests substitute one that acts as the kernel.
 * {@link VfioBinder} calls it on a daemon thread and stops waiting after its write timeout, so an implementation
 * may block as the kernel does. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface SysfsWriter {

    /**
     * Writes {@code value} to the sysfs attribute {@code file} in one write.
     *
     * @param file  the attribute, e.g. {@code /sys/bus/pci/devices/0000:01:00.0/driver_override}
     * @param value the text to write, e.g. {@code vfio-pci} or a PCI address
     * @throws IOException as the kernel reports it, e.g. {@link java.nio.file.FileSystemException} whose reason is
     *     the strerror text ("Device or resource busy")
     */
    void write(Path file, String value) throws IOException;

    /**
     * Writes straight to the file system: a sysfs attribute takes the whole value in a single write(2). The file is
     * opened with {@code O_NOFOLLOW}, so a symbolic link planted as an attribute is refused (ELOOP), never followed.
     *
     * @return the writer {@link VfioBinder} uses by default; stateless and thread-safe
     */
    static SysfsWriter direct() {
        return (file, value) -> {
            try (SeekableByteChannel ch =
                    Files.newByteChannel(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ch.write(ByteBuffer.wrap(value.getBytes(StandardCharsets.US_ASCII)));
            }
        };
    }
}
