package dev.virtualghost.ch.internal.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds an executable on a PATH-style search list, as a shell would. Stateless. */
public final class BinaryLocator {
    private BinaryLocator() {}

    /** The first executable regular file named {@code name} in the directories of {@code path}. */
    public static Optional<Path> find(String name, String path) {
        if (path == null || path.isEmpty()) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
