package dev.virtualghost.vfio.internal;

import dev.virtualghost.api.PciAddress;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The restore journal of one binding: each device's original driver and driver_override, written before the first
 * sysfs write so a crashed run can be undone. A properties file, created atomically: filled in a private (0600)
 * temp file in the same directory, fsynced, then renamed into place (rename(2) is atomic within a file system), so
 * a crash or a failure while filling never leaves an empty or torn journal. Stateless; one binding owns one journal.
 */
public final class Journal {
    private static final String PREFIX = "vfio-binding-";
    private static final String SUFFIX = ".properties";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    /** One device's state before binding; null driver/override mean none. */
    public record Entry(PciAddress address, String driver, String override) {}

    /** What a journal holds: the IOMMU group it bound and each device's original state. */
    public record Contents(int group, List<Entry> entries) {}

    private Journal() {}

    /**
     * Creates a new journal file (mode 0600, unique name) in {@code dir} holding {@code entries}; on any failure no
     * file is left behind.
     */
    public static Path create(Path dir, int group, List<Entry> entries) throws IOException {
        Path file = dir.resolve(PREFIX + "group" + group + "-" + Long.toUnsignedString(RANDOM.nextLong(), 36) + SUFFIX);
        // The temp name does not match list(): a crash before the rename leaves no journal to replay.
        Path tmp = Files.createTempFile(dir, "." + PREFIX, ".tmp", PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                Writer w = new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8);
                properties(group, entries)
                        .store(
                                w,
                                "virtualghost vfio restore journal: original drivers before" + " binding to vfio-pci");
                w.flush();
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        syncDirectory(dir);
        return file;
    }

    private static Properties properties(int group, List<Entry> entries) {
        Properties p = new Properties();
        p.setProperty("group", Integer.toString(group));
        p.setProperty("count", Integer.toString(entries.size()));
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            p.setProperty("device." + i + ".address", e.address().toString());
            p.setProperty("device." + i + ".driver", e.driver() == null ? "" : e.driver());
            p.setProperty("device." + i + ".override", e.override() == null ? "" : e.override());
        }
        return p;
    }

    // The rename is durable only once the directory entry is on disk (fsync(2) on the directory).
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the journal is still in place.
        }
    }

    /**
     * The journals in {@code dir} (regular files and symbolic links named like those {@link #create} writes),
     * ordered by name.
     */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path p : ds) {
                // Links are listed too, so that restoring refuses them out loud instead of skipping them unseen.
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return List.copyOf(out);
    }

    /**
     * Why {@code path} may not be trusted to drive root-privileged sysfs writes, or empty when it may: it must be
     * owned by {@code uid} and not writable by group or others, so no other user can plant or edit a journal. A
     * symbolic link is judged by its target.
     *
     * @throws IOException when its attributes cannot be read
     */
    public static Optional<String> untrusted(Path path, int uid) throws IOException {
        int owner = (Integer) Files.getAttribute(path, "unix:uid");
        if (owner != uid) {
            return Optional.of("is owned by uid " + owner + ", not by this user (uid " + uid + ")");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            return Optional.of("is writable by group or others (mode " + PosixFilePermissions.toString(perms) + ")");
        }
        return Optional.empty();
    }

    /**
     * Reads the entries of a journal.
     *
     * @throws IOException when unreadable
     * @throws IllegalArgumentException when malformed (not UTF-8, larger than 64 KiB, bad group, count, PCI address or
     *     driver name)
     */
    public static Contents read(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.size(file) > 65536) {
            throw new IllegalArgumentException("it is larger than any journal VfioBinder writes (64 KiB)");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("it is not UTF-8 text, so not a journal VfioBinder wrote");
        }
        int group;
        try {
            group = Integer.parseInt(p.getProperty("group", "-1"));
        } catch (NumberFormatException e) {
            group = -1;
        }
        if (group < 0) {
            throw new IllegalArgumentException("it has no valid IOMMU group number");
        }
        int count;
        try {
            count = Integer.parseInt(p.getProperty("count", "-1"));
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 0 || count > 256) {
            throw new IllegalArgumentException("it has no valid device count");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String address = p.getProperty("device." + i + ".address", "");
            if (!PciAddress.isValid(address)) {
                throw new IllegalArgumentException(
                        "it holds an invalid PCI address '" + DriverNames.printable(address) + "'");
            }
            out.add(new Entry(
                    PciAddress.parse(address),
                    driverName(p.getProperty("device." + i + ".driver")),
                    driverName(p.getProperty("device." + i + ".override"))));
        }
        return new Contents(group, List.copyOf(out));
    }

    // Journal values go back into sysfs paths and files, so only plain driver names pass.
    private static String driverName(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (!DriverNames.isValid(s)) {
            throw new IllegalArgumentException("it holds an invalid driver name '" + DriverNames.printable(s)
                    + "' (a driver name is one printable path component, not . or ..)");
        }
        return s;
    }
}
