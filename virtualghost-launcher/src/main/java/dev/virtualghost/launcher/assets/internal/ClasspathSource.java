package dev.virtualghost.launcher.assets.internal;

import dev.virtualghost.launcher.assets.AssetSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** Resources {@code <prefix>/<name>} of a class loader. */
public final class ClasspathSource implements AssetSource {
    private final ClassLoader loader;
    private final String prefix;

    /**
     * Resources under {@code prefix} (no leading or trailing slash needed).
     *
     * @param loader the class loader whose resources are read
     * @param prefix the resource directory
     */
    public ClasspathSource(ClassLoader loader, String prefix) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.prefix = Objects.requireNonNull(prefix, "prefix").replaceAll("^/+|/+$", "");
    }

    @Override
    public InputStream open(String name) throws IOException {
        InputStream in = loader.getResourceAsStream(prefix + "/" + name);
        if (in == null) {
            throw new FileNotFoundException(describe() + name);
        }
        return in;
    }

    @Override
    public String describe() {
        return "classpath:" + prefix + "/";
    }
}
