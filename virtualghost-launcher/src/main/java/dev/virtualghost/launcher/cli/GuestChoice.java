package dev.virtualghost.launcher.cli;

import dev.virtualghost.launcher.assets.AssetCache;
import dev.virtualghost.launcher.assets.AssetSource;
import dev.virtualghost.launcher.assets.GuestAssets;
import dev.virtualghost.launcher.assets.ProgressSink;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest {@code run} boots and where each of its files came from: the kernel, initramfs and rootfs keys when a
 * kernel is given (flag, environment or config), else the {@link AssetCache} filled from the class-path artifact
 * {@value #CLASSPATH_PREFIX} and the {@code guest-url} key. With the cache, the command line is the image's own
 * (from its manifest) followed by the user's {@code cmdline}; the launcher appends the session key later.
 */
record GuestChoice(Path kernel, Path initramfs, Path rootfs, String cmdline, List<String> origins) {
    /** The class-path resource directory a guest artifact puts {@code manifest.json} and its files under. */
    static final String CLASSPATH_PREFIX = "virtualghost-guest";
    /** A stand-in guest for checking the other settings before the real one is resolved; never launched. */
    static final GuestChoice UNRESOLVED =
            new GuestChoice(Path.of("/unresolved-guest-kernel"), null, null, null, List.of());

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Resolves the guest of a launch, filling the asset cache when no kernel is given.
     *
     * @throws CliUsageException when neither a kernel nor an asset source is configured, or the URL is malformed
     * @throws dev.virtualghost.launcher.assets.AssetException when the cache cannot be filled or verified
     */
    static GuestChoice resolve(
            ConfigLayers layers, Map<String, String> env, PrintStream progressOut, boolean terminal) {
        return resolve(layers, env, GuestChoice.class.getClassLoader(), progressOut, terminal);
    }

    /** {@link #resolve(ConfigLayers, Map, PrintStream, boolean)} looking for the guest artifact in {@code loader}. */
    static GuestChoice resolve(
            ConfigLayers layers,
            Map<String, String> env,
            ClassLoader loader,
            PrintStream progressOut,
            boolean terminal) {
        ConfigLayers.Value kernel = layers.value("kernel");
        if (kernel != null) {
            return explicit(layers);
        }
        ConfigLayers.Value url = layers.value("guest-url");
        boolean artifact = loader.getResource(CLASSPATH_PREFIX + "/manifest.json") != null;
        if (url == null && !artifact) {
            throw new CliUsageException(
                    "no guest kernel: pass --kernel FILE (with --initramfs/--rootfs), or --guest-url "
                            + "URL of an image built by guest/build-image.sh (config keys kernel or guest-url; see "
                            + "docs/guest.md)");
        }
        AssetCache.Builder b =
                AssetCache.builder().directory(AssetCache.defaultDirectory(env, System.getProperty("user.home")));
        if (artifact) {
            b.source(AssetSource.classpath(loader, CLASSPATH_PREFIX));
        }
        if (url != null) {
            b.source(urlSource(url));
        }
        Map<String, String> fetched = new LinkedHashMap<>();
        ProgressSink console = ProgressSink.console(progressOut, terminal);
        AssetCache cache = b.progress(new ProgressSink() {
                    @Override
                    public void started(String file, long totalBytes, String source) {
                        fetched.put(file, source);
                        console.started(file, totalBytes, source);
                    }

                    @Override
                    public void progressed(long doneBytes) {
                        console.progressed(doneBytes);
                    }

                    @Override
                    public void finished() {
                        console.finished();
                    }
                })
                .build();
        GuestAssets assets = cache.resolve();
        List<String> origins = new ArrayList<>();
        origins.add("asset cache " + cache.directory());
        for (Path p : List.of(assets.kernel(), assets.initramfs(), assets.rootfs())) {
            String name = p.getFileName().toString();
            String from = fetched.get(name);
            origins.add(p + (from == null ? " (already cached)" : " (fetched from " + from + ")"));
        }
        ConfigLayers.Value extra = layers.value("cmdline");
        String cmdline = assets.cmdline().strip();
        if (extra != null && !extra.text().isBlank()) {
            cmdline = cmdline.isEmpty()
                    ? extra.text().strip()
                    : cmdline + " " + extra.text().strip();
            origins.add("cmdline: the image's, then the one from " + extra.source());
        } else {
            origins.add("cmdline: the image's (manifest.json)");
        }
        return new GuestChoice(assets.kernel(), assets.initramfs(), assets.rootfs(), cmdline, List.copyOf(origins));
    }

    private static GuestChoice explicit(ConfigLayers layers) {
        List<String> origins = new ArrayList<>();
        Path[] files = new Path[3];
        String[] keys = {"kernel", "initramfs", "rootfs"};
        for (int i = 0; i < keys.length; i++) {
            ConfigLayers.Value v = layers.value(keys[i]);
            if (v != null) {
                files[i] = Path.of(v.text()).toAbsolutePath().normalize();
                origins.add(files[i] + " (from " + v.source() + ")");
            }
        }
        ConfigLayers.Value cmdline = layers.value("cmdline");
        return new GuestChoice(
                files[0], files[1], files[2], cmdline == null ? null : cmdline.text(), List.copyOf(origins));
    }

    private static AssetSource urlSource(ConfigLayers.Value url) {
        try {
            return AssetSource.url(URI.create(url.text().strip()), HTTP_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("guest-url from " + url.source() + ": '" + url.text()
                    + "' is not an http(s) URL: " + e.getMessage());
        }
    }
}
