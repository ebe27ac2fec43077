package dev.virtualghost.launcher.assets.internal;

import dev.virtualghost.launcher.assets.AssetSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/** Files of a local directory. */
public final class DirectorySource implements AssetSource {
    private final Path dir;

    /**
     * Files directly in {@code dir}.
     *
     * @param dir the directory
     */
    public DirectorySource(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
    }

    @Override
    public InputStream open(String name) throws IOException {
        try {
            return Files.newInputStream(dir.resolve(name));
        } catch (NoSuchFileException e) {
            throw new java.io.FileNotFoundException(dir.resolve(name).toString());
        }
    }

    @Override
    public String describe() {
        return dir + "/";
    }
}
