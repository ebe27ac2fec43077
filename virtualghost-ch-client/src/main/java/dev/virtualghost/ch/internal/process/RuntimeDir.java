package dev.virtualghost.ch.internal.process;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Creates and removes the private (0700) directory that holds CH's socket, logs and event file. Stateless. */
public final class RuntimeDir {
    private RuntimeDir() {}

    /** A new 0700 directory under the system temp dir with an unpredictable name. */
    public static Path create() throws IOException {
        return Files.createTempDirectory(
                "virtualghost-ch-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /**
     * Checks that a caller-given directory is private: owned by the current user, without group or other
     * permissions, since whoever can reach the API socket in it controls the VM.
     *
     * @throws IllegalArgumentException if it is missing, not a directory, someone else's, or group/other accessible
     */
    public static void requirePrivate(Path dir) {
        String user = System.getProperty("user.name");
        try {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("ch: runtime directory " + dir
                        + " does not exist or is not a directory;" + " create it with mode 0700 first");
            }
            String owner = Files.getOwner(dir).getName();
            if (!owner.equals(user)) {
                throw new IllegalArgumentException("ch: runtime directory " + dir + " belongs to " + owner + ", not to "
                        + user + "; use a directory of your own with mode 0700");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
                    open.add(p);
                }
            }
            if (!open.isEmpty()) {
                throw new IllegalArgumentException("ch: runtime directory " + dir + " has mode "
                        + PosixFilePermissions.toString(perms) + ", open to group or others; run chmod 700 " + dir);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("ch: cannot check runtime directory " + dir + ": " + e, e);
        }
    }

    /** A new 0700 directory under {@code parent} with an unpredictable name. */
    public static Path create(Path parent) throws IOException {
        return Files.createTempDirectory(
                parent,
                "virtualghost-ch-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Deletes {@code dir} and everything below it; missing entries are ignored (already gone is fine). */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteQuietly(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                deleteQuietly(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteQuietly(Path p) throws IOException {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            // Removed concurrently: the goal is reached.
        }
    }
}
