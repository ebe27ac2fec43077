package dev.virtualghost.ch.internal.process;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates and removes the private (0700) directory that holds CH's socket, logs and event file. Stateless. */
public final class RuntimeDir {
  private RuntimeDir() {}

  /** A new 0700 directory under the system temp dir with an unpredictable name. */
  public static Path create() throws IOException {
    return Files.createTempDirectory("virtualghost-ch-",
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
