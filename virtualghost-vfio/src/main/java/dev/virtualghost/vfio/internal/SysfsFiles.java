package dev.virtualghost.vfio.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads sysfs attributes defensively and confines writes to a sysfs tree. A sysfs attribute is a regular file whose
 * content fits in a page ({@code sysfs_emit} writes at most PAGE_SIZE), so a read takes at most a page, refuses
 * anything that is not a regular file (a FIFO would block, a link to {@code /dev/zero} would never end) and gives up
 * after a bounded wait. A write target must resolve inside the tree's real root, and its last component must not
 * be a symbolic link (the write itself opens it with {@code O_NOFOLLOW}), so a crafted {@code --sys} tree cannot
 * make a root process write outside it. Stateless and thread-safe.
 */
public final class SysfsFiles {
    /** The most a sysfs attribute holds (PAGE_SIZE on x86-64). */
    public static final int PAGE = 4096;

    private static final Duration READ_LIMIT = Duration.ofSeconds(2);

    private SysfsFiles() {}

    /**
     * The content of the attribute {@code file}, stripped.
     *
     * @throws NoSuchFileException when it does not exist
     * @throws IOException         when it is not a regular file, holds more than a page, or does not answer in 2 s
     */
    public static String read(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isRegularFile()) {
            throw new FileSystemException(
                    file.toString(),
                    null,
                    file.getFileName() + " is not a regular file, which every" + " sysfs attribute is");
        }
        AtomicReference<String> out = new AtomicReference<>();
        try {
            BoundedCall.run("vfio-sysfs-read " + file, READ_LIMIT, () -> out.set(readPage(file)));
        } catch (TimeoutException e) {
            throw new FileSystemException(
                    file.toString(),
                    null,
                    file.getFileName() + " gave no answer within " + READ_LIMIT.toSeconds() + "s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FileSystemException(file.toString(), null, "interrupted while reading " + file.getFileName());
        }
        return out.get();
    }

    private static String readPage(Path file) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf = ByteBuffer.allocate(PAGE + 1);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // a sysfs read returns the whole attribute at once; loop for other file systems
            }
            if (!buf.hasRemaining()) {
                throw new FileSystemException(
                        file.toString(),
                        null,
                        file.getFileName() + " is larger than a page (" + PAGE
                                + " bytes), which no sysfs attribute is");
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
        }
    }

    /**
     * The last component of the symbolic link {@code link} (e.g. the driver name of {@code <dev>/driver}).
     *
     * @throws NoSuchFileException when there is no such link
     */
    public static String linkName(Path link) throws IOException {
        Path target = Files.readSymbolicLink(link).getFileName();
        return target == null ? "" : target.toString();
    }

    /**
     * Checks that a write to {@code file} stays inside {@code root}: its parent directory resolves (following links,
     * as sysfs's own {@code bus/pci/devices/<addr>} links are followed) to a directory under the real root, and
     * {@code file} itself is not a symbolic link.
     *
     * @throws IOException naming the reason when it does not
     */
    public static void confine(Path root, Path file) throws IOException {
        Path realRoot = root.toRealPath();
        Path parent = file.toAbsolutePath().getParent();
        Path realParent = parent.toRealPath();
        if (!realParent.startsWith(realRoot)) {
            throw new FileSystemException(
                    file.toString(),
                    null,
                    "resolves to " + realParent + ", outside the sysfs" + " root " + realRoot
                            + "; refusing to write there (is the tree tampered with?)");
        }
        if (Files.isSymbolicLink(file)) {
            throw new FileSystemException(
                    file.toString(),
                    null,
                    "is a symbolic link, which no sysfs attribute is;"
                            + " refusing to write through it (is the tree tampered with?)");
        }
    }
}
