package dev.virtualghost.launcher.assets;

import dev.virtualghost.launcher.assets.internal.ClasspathSource;
import dev.virtualghost.launcher.assets.internal.DirectorySource;
import dev.virtualghost.launcher.assets.internal.HttpSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the {@link AssetCache} fills itself from: a set of files, {@code manifest.json} among them, each opened by
 * name. Implementations must be thread-safe.
 */
public interface AssetSource {

    /**
     * Opens the file {@code name} (a plain file name from the manifest, or {@code manifest.json}).
     *
     * @param name the file's name
     * @return a new stream of the file's bytes, as stored (possibly gzip-compressed); the caller closes it
     * @throws java.io.FileNotFoundException if the source has no such file
     * @throws IOException on any other failure
     */
    InputStream open(String name) throws IOException;

    /**
     * Where this source is, for messages ({@code classpath:virtualghost-guest/}, a URL, a directory).
     *
     * @return a short description of the location
     */
    String describe();

    /**
     * A resource set on the class path: {@code <prefix>/manifest.json} and the files it names, e.g. from an optional
     * artifact that carries the gzip-compressed guest.
     *
     * @param loader the class loader whose resources are read
     * @param prefix the resource directory, e.g. {@code virtualghost-guest}
     * @return a new source
     */
    static AssetSource classpath(ClassLoader loader, String prefix) {
        return new ClasspathSource(loader, prefix);
    }

    /**
     * Files under a base URL ({@code http} or {@code https}): {@code <base>/manifest.json} and the files it names.
     * {@code timeout} bounds connecting and waiting for each response's headers.
     *
     * @param base the base URL
     * @param timeout the connect and response-header timeout
     * @return a new source
     * @throws IllegalArgumentException if the URL is not http(s)
     */
    static AssetSource url(URI base, Duration timeout) {
        return new HttpSource(base, timeout);
    }

    /**
     * Files in a local directory, such as {@code guest/build-image.sh}'s output.
     *
     * @param dir the directory holding {@code manifest.json} and the assets
     * @return a new source
     */
    static AssetSource directory(Path dir) {
        return new DirectorySource(dir);
    }
}
