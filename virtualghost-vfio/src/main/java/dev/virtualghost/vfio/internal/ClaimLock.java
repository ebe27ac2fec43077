package dev.virtualghost.vfio.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An exclusive, crash-safe claim on a set of names (an IOMMU group, device addresses): one {@code flock(2)}ed file
 * {@code <dir>/<name>.lock} per name, holding the holder's pid. The kernel drops an flock when the last descriptor of
 * its open file description closes, so a holder that dies (even by SIGKILL) frees its claims at once, while a live
 * holder's claim refuses everyone else, including another claimant in the same JVM (flock locks belong to open file
 * descriptions, not processes, unlike the fcntl locks of {@link java.nio.channels.FileChannel#tryLock()}).
 *
 * <p>Design: the lock file is unlinked before it is unlocked on release; a claimant that locked a file just
 * unlinked notices (the inode behind its descriptor is no longer the one at the path) and tries again, so two
 * claimants can never both hold the same name. The directory must be private to this user (mode 0700, owned by
 * the effective uid); it is created so when absent. Not thread-safe; one owner closes it once.
 */
public final class ClaimLock implements AutoCloseable {
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    /** A name is held by someone else: who, as far as its lock file says. */
    public static final class Busy extends Exception {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final transient Path file;
        private final long pid;

        Busy(String name, Path file, OptionalLong pid) {
            super(name + " is claimed" + (pid.isPresent() ? " by pid " + pid.getAsLong() : ""), null, false, false);
            this.name = name;
            this.file = file;
            this.pid = pid.orElse(-1);
        }

        /** The claimed name. */
        public String name() {
            return name;
        }

        /** The lock file. */
        public Path file() {
            return file;
        }

        /** The holder's pid as written in the lock file, empty when not (yet) written. */
        public OptionalLong pid() {
            return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
        }
    }

    private record Held(Path file, int fd) {}

    private final List<Held> held;
    private boolean closed;

    private ClaimLock(List<Held> held) {
        this.held = held;
    }

    /**
     * Claims every one of {@code names} in {@code dir}, or none.
     *
     * @throws Busy       when a name is held by a live claimant (what was taken so far is released)
     * @throws IOException when the directory is not private to this user or a lock file cannot be made
     */
    public static ClaimLock acquire(Path dir, List<String> names) throws Busy, IOException {
        Objects.requireNonNull(dir, "dir == null");
        checkDirectory(dir);
        List<Held> taken = new ArrayList<>();
        boolean ok = false;
        try {
            for (String name : names) {
                taken.add(take(dir, name));
            }
            ok = true;
            return new ClaimLock(taken);
        } finally {
            if (!ok) {
                new ClaimLock(taken).close();
            }
        }
    }

    private static void checkDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            // Missing parents (the runtime root, e.g. /run/virtualghost) are private too, as the runtime root must be.
            Files.createDirectories(
                    dir.toAbsolutePath().getParent(), PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another claimant made it first; it is checked below like any other
            }
            Files.setPosixFilePermissions(dir, PRIVATE_DIR); // the umask may have taken bits away, never added
        }
        BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            throw new IOException(
                    "claim directory " + dir + " is not a directory (a link or a file is not trusted;" + " remove it)");
        }
        Optional<String> untrusted = Journal.untrusted(dir, LibC.INSTANCE.geteuid());
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (untrusted.isEmpty() && !PRIVATE_DIR.containsAll(perms)) {
            untrusted = Optional.of(
                    "is readable or searchable by group or others (mode " + PosixFilePermissions.toString(perms) + ")");
        }
        if (untrusted.isPresent()) {
            throw new IOException("claim directory " + dir + " " + untrusted.get() + "; make it yours with mode 0700");
        }
    }

    private static Held take(Path dir, String name) throws Busy, IOException {
        Path file = dir.resolve(name + ".lock");
        if (!file.getParent().equals(dir)) {
            throw new IllegalArgumentException("claim name is not a plain file name: " + name);
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            int fd;
            try {
                fd = LibC.INSTANCE.open(
                        file.toString(), LibC.O_RDWR | LibC.O_CREAT | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0600);
            } catch (LastErrorException e) {
                throw new IOException("open claim " + file + ": " + LibC.describe(e));
            }
            try {
                LibC.INSTANCE.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB);
            } catch (LastErrorException e) {
                closeQuietly(fd);
                if (e.getErrorCode() == LibC.EWOULDBLOCK) {
                    throw new Busy(name, file, holder(file));
                }
                throw new IOException("lock claim " + file + ": " + LibC.describe(e));
            }
            if (sameFile(fd, file)) {
                try {
                    byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
                    LibC.INSTANCE.ftruncate(fd, new NativeLong(0));
                    LibC.INSTANCE.pwrite(fd, pid, new NativeLong(pid.length), new NativeLong(0));
                } catch (LastErrorException e) {
                    closeQuietly(fd);
                    throw new IOException("write claim " + file + ": " + LibC.describe(e));
                }
                return new Held(file, fd);
            }
            closeQuietly(fd); // locked a file its holder had just unlinked: take the new one
        }
        throw new IOException("claim " + file + " keeps being replaced under us; try again");
    }

    private static boolean sameFile(int fd, Path file) throws IOException {
        try {
            Object ours = Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:ino");
            Object now = Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            return ours.equals(now);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The pid in a claim file, empty when absent, unreadable or not yet written. */
    public static OptionalLong holder(Path file) {
        try {
            if (Files.size(file) > 32) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(
                    Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Releases every claim: each lock file is removed, then unlocked. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = held.size() - 1; i >= 0; i--) {
            Held h = held.get(i);
            try {
                Files.deleteIfExists(h.file());
            } catch (IOException e) {
                // the lock still goes with the descriptor; a stale file is harmless (no flock on it)
            }
            closeQuietly(h.fd());
        }
    }

    /**
     * Lets go of the locks as the kernel does when the holder dies: the descriptors close, the lock files (with the
     * dead holder's pid) stay. For tests of recovery that cannot kill their own process.
     */
    public void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        held.forEach(h -> closeQuietly(h.fd()));
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            // nothing left to do with it
        }
    }
}
