package dev.virtualghost.launcher.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/** Private (0700, owned by this user, not a symlink) directories for runtime state. Stateless. */
public final class PrivateDirs {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PrivateDirs() {}

    /**
     * Creates {@code dir} (and missing parents) 0700, or checks an existing one: a directory, not a symlink,
     * owned by this user, closed to group and others.
     *
     * @param dir the directory
     * @return {@code dir}
     * @throws IOException naming the problem and the fix
     */
    public static Path ensure(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.exists(parent)) {
                ensure(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
                return dir;
            } catch (FileAlreadyExistsException raced) {
                // Someone created it meanwhile: check it like any existing one.
            }
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory (or is a symlink); remove it or choose another "
                    + "runtime directory with VIRTUALGHOST_RUNTIME_DIR");
        }
        String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        String me = System.getProperty("user.name");
        if (!owner.equals(me)) {
            throw new IOException(dir + " belongs to " + owner + ", not " + me + "; choose a runtime directory of "
                    + "your own with VIRTUALGHOST_RUNTIME_DIR");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new IOException(dir + " has mode " + PosixFilePermissions.toString(perms)
                    + ", open to group or others; run chmod 700 " + dir);
        }
        return dir;
    }

    /**
     * Checks a directory that holds private ones (the runtime root): when it exists it must be a real directory
     * owned by this user (or root) that no one else can write to, or another user could swap what is inside;
     * when absent it is created 0700.
     *
     * @param dir the parent directory
     * @return {@code dir}
     * @throws IOException naming the problem and the fix
     */
    public static Path ensureSafeParent(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return ensure(dir);
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory (or is a symlink); remove it or choose another "
                    + "runtime directory with VIRTUALGHOST_RUNTIME_DIR");
        }
        String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        String me = System.getProperty("user.name");
        if (!owner.equals(me) && !owner.equals("root")) {
            throw new IOException(dir + " belongs to " + owner + ", not " + me + "; choose a runtime directory of "
                    + "your own with VIRTUALGHOST_RUNTIME_DIR");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " has mode " + PosixFilePermissions.toString(perms)
                    + ", writable by group or others; run chmod go-w " + dir);
        }
        return dir;
    }

    /**
     * Creates a new 0700 directory with an unpredictable 8-hex-digit name under {@code parent}.
     *
     * @param parent the parent directory, already private
     * @return the new directory
     * @throws IOException if it cannot be created
     */
    public static Path createUnique(Path parent) throws IOException {
        for (int i = 0; i < 16; i++) {
            byte[] id = new byte[4];
            RANDOM.nextBytes(id);
            Path dir = parent.resolve(HexFormat.of().formatHex(id));
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
                return dir;
            } catch (FileAlreadyExistsException taken) {
                // try another name
            }
        }
        throw new IOException("cannot create a unique run directory in " + parent);
    }

    /**
     * Deletes {@code dir} and everything below it without following symlinks; already gone is fine.
     *
     * @param dir the directory to delete
     * @throws IOException if something cannot be deleted
     */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteIfExists(Path p) throws IOException {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException gone) {
            // already gone
        }
    }
}
