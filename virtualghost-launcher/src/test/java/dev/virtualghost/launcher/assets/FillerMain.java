package dev.virtualghost.launcher.assets;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** A second process for {@link AssetCacheProcessTest}: fills the cache {@code args[0]} from the URL {@code args[1]}. */
public final class FillerMain {
    private FillerMain() {}

    public static void main(String[] args) {
        GuestAssets a = AssetCache.builder()
                .directory(Path.of(args[0]))
                .source(AssetSource.url(URI.create(args[1]), Duration.ofSeconds(30)))
                .progress(ProgressSink.none())
                .build()
                .resolve();
        System.out.println("resolved " + a.rootfs());
    }
}
