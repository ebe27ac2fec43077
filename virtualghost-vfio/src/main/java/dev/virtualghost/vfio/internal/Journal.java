package dev.virtualghost.vfio.internal;

import dev.virtualghost.api.PciAddress;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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
    public record Entry(PciAddress address, String driver, String override) {
    }

    private Journal() {
    }

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
                properties(group, entries).store(w, "virtualghost vfio restore journal: original drivers before"
                        + " binding to vfio-pci");
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

    /** The journals in {@code dir} (files named like those {@link #create} writes), ordered by name. */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
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
     * @throws IllegalArgumentException when malformed (bad count or PCI address)
     */
    public static List<Entry> read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        int count;
        try {
            count = Integer.parseInt(p.getProperty("count", "-1"));
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 0 || count > 256) {
            throw new IllegalArgumentException("journal " + file + " has no valid device count");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PciAddress a = PciAddress.parse(p.getProperty("device." + i + ".address", ""));
            out.add(new Entry(a, driverName(p.getProperty("device." + i + ".driver"), file),
                    driverName(p.getProperty("device." + i + ".override"), file)));
        }
        return List.copyOf(out);
    }

    // Journal values go back into sysfs paths and files, so only plain driver names pass.
    private static String driverName(String s, Path file) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (!s.matches("[A-Za-z0-9_.:+-]{1,64}")) {
            throw new IllegalArgumentException("journal " + file + " holds an invalid driver name '"
                    + s.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return s;
    }
}
