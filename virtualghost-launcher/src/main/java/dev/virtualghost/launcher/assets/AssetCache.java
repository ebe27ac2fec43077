package dev.virtualghost.launcher.assets;

import dev.virtualghost.launcher.assets.internal.CacheLock;
import dev.virtualghost.launcher.assets.internal.FileTrees;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest's kernel, initramfs and root file system, cached under {@code $XDG_CACHE_HOME/virtualghost}
 * (default {@code ~/.cache/virtualghost}), filled from {@link AssetSource}s and verified against the
 * {@link GuestManifest}.
 *
 * <pre>{@code
 * AssetCache cache = AssetCache.builder()
 *     .source(AssetSource.classpath(AssetCache.class.getClassLoader(), "virtualghost-guest"))
 *     .source(AssetSource.url(URI.create("https://example.org/guest/1.0/"), Duration.ofSeconds(30)))
 *     .progress(ProgressSink.console(System.err, System.console() != null))
 *     .build();
 * GuestAssets assets = cache.resolve();   // fills what is missing, verifies, returns the paths
 * }</pre>
 *
 * <p>Guarantees: a file is used only after its size and SHA-256 matched the manifest; a fill goes to a temporary
 * file in the cache directory, is verified, then moved into place atomically, and a failed or interrupted fill
 * leaves nothing behind (leftovers of a killed process are removed by the next fill); fillers in several threads
 * or processes take turns through a lock file, so each file is fetched once. A cached file is re-hashed when its
 * size or modification time no longer matches what was verified. Files are stored read-only (0444) in
 * {@code guest/<sha256>/<file>}, so image versions never collide. Thread-safe.
 */
public final class AssetCache {
    private static final Logger LOG = LoggerFactory.getLogger(AssetCache.class);
    private static final String MANIFEST = "manifest.json";
    private static final int MAX_MANIFEST = 1 << 20;

    private final Path directory;
    private final List<AssetSource> sources;
    private final ProgressSink progress;
    private final String manifestSha256;

    private AssetCache(Builder b) {
        this.directory = b.directory.toAbsolutePath().normalize();
        this.sources = List.copyOf(b.sources);
        this.progress = b.progress;
        this.manifestSha256 = b.manifestSha256;
    }

    /**
     * A builder; by default the cache is {@link #defaultDirectory()}, with no sources and SLF4J progress lines.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code $XDG_CACHE_HOME/virtualghost}, or {@code ~/.cache/virtualghost} when it is unset or relative.
     *
     * @return the default cache directory of this process's environment and user
     */
    public static Path defaultDirectory() {
        return defaultDirectory(System.getenv(), System.getProperty("user.home"));
    }

    /**
     * {@link #defaultDirectory()} for the given environment and home directory.
     *
     * @param env the environment variables (only {@code XDG_CACHE_HOME} is read)
     * @param userHome the user's home directory
     * @return the {@code virtualghost} directory under the chosen base
     */
    public static Path defaultDirectory(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base =
                xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(userHome, ".cache");
        return base.resolve("virtualghost");
    }

    /**
     * The cache directory.
     *
     * @return the absolute cache directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Reads the manifest from the first source that has one, and makes every asset it names present and verified.
     *
     * @return the paths of the verified assets in the cache, and the image's kernel command line
     * @throws AssetException if no source has a manifest or an asset cannot be fetched or verified
     */
    public GuestAssets resolve() {
        return resolve(loadManifest());
    }

    /**
     * Makes every asset of {@code manifest} present and verified in the cache and returns their paths.
     *
     * @param manifest the image to make present
     * @return the paths of the verified assets in the cache, and the manifest's kernel command line
     * @throws AssetException if an asset cannot be fetched from any source or fails verification
     */
    public GuestAssets resolve(GuestManifest manifest) {
        Objects.requireNonNull(manifest, "manifest");
        try (CacheLock lock = CacheLock.acquire(directory)) {
            Path kernel = ensure(manifest.assets().get("kernel"));
            Path initramfs = ensure(manifest.assets().get("initramfs"));
            Path rootfs = ensure(manifest.assets().get("rootfs"));
            return new GuestAssets(kernel, initramfs, rootfs, manifest.cmdline());
        } catch (IOException e) {
            throw new AssetException(
                    "guest asset cache " + directory + ": " + e.getMessage()
                            + " (check that the directory is writable, or run `virtualghost clean --cache`)",
                    e);
        }
    }

    /**
     * The manifest from the first source that has {@code manifest.json}, checked against the pinned SHA-256 if one
     * was given.
     *
     * @return the parsed manifest
     * @throws AssetException if no source has one, it is invalid, or it does not match the pin
     */
    public GuestManifest loadManifest() {
        if (sources.isEmpty()) {
            throw new AssetException("no guest asset source configured: pass --kernel/--initramfs/--rootfs, or set"
                    + " an asset URL in the config");
        }
        List<String> tried = new ArrayList<>();
        for (AssetSource s : sources) {
            byte[] bytes;
            try (InputStream in = s.open(MANIFEST)) {
                bytes = in.readNBytes(MAX_MANIFEST + 1);
            } catch (FileNotFoundException e) {
                tried.add(s.describe() + " (none)");
                continue;
            } catch (IOException e) {
                tried.add(s.describe() + " (" + e.getMessage() + ")");
                continue;
            }
            if (bytes.length > MAX_MANIFEST) {
                throw new AssetException("guest manifest at " + s.describe() + " is larger than 1 MiB: not a manifest");
            }
            GuestManifest m = GuestManifest.parse(bytes);
            if (manifestSha256 != null && !manifestSha256.equals(m.sha256())) {
                throw new AssetException("guest manifest at " + s.describe() + " has SHA-256 " + m.sha256() + ", but "
                        + manifestSha256 + " is pinned: refusing a different image");
            }
            return m;
        }
        throw new AssetException("no guest manifest.json found at " + String.join(", ", tried)
                + ": build one with guest/build-image.sh or pass --kernel/--initramfs/--rootfs");
    }

    /**
     * Deletes every cached file (what {@code virtualghost clean --cache} does); waits for running fills to end.
     *
     * @throws AssetException if something cannot be deleted
     */
    public void clear() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (CacheLock lock = CacheLock.acquire(directory)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path p : entries) {
                    if (!p.equals(lock.file())) {
                        FileTrees.deleteRecursively(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new AssetException("cannot empty the guest asset cache " + directory + ": " + e.getMessage(), e);
        }
    }

    private Path ensure(GuestManifest.Asset asset) throws IOException {
        Path dir = directory.resolve("guest").resolve(asset.sha256());
        Path file = dir.resolve(asset.file());
        Path stamp = dir.resolve("." + asset.file() + ".verified");
        if (Files.isRegularFile(file)) {
            if (stampMatches(file, stamp, asset)) {
                return file;
            }
            if (Files.size(file) == asset.size() && sha256Of(file).equals(asset.sha256())) {
                writeStamp(file, stamp, asset);
                return file;
            }
            LOG.warn("cached guest {} {} does not match its manifest: fetching it again", asset.role(), file);
            Files.delete(file);
            Files.deleteIfExists(stamp);
        }
        FileTrees.createPrivateDirectories(dir);
        removeLeftovers(dir);
        List<String> failures = new ArrayList<>();
        for (AssetSource s : sources) {
            try {
                fetch(s, asset, dir, file);
                writeStamp(file, stamp, asset);
                return file;
            } catch (FileNotFoundException e) {
                failures.add(s.describe() + " has no " + asset.source());
            } catch (IOException e) {
                failures.add(s.describe() + ": " + e.getMessage());
            }
        }
        throw new AssetException(
                "cannot fetch guest " + asset.role() + " " + asset.file() + ": " + String.join("; ", failures));
    }

    private void fetch(AssetSource s, GuestManifest.Asset asset, Path dir, Path file) throws IOException {
        Path part = Files.createTempFile(dir, "." + asset.file() + ".", ".part");
        try {
            MessageDigest md = Hashing.sha256();
            long n = 0;
            try (InputStream raw = s.open(asset.source());
                    InputStream in = asset.gzipped() ? new GZIPInputStream(raw, 65536) : raw;
                    DigestInputStream din = new DigestInputStream(in, md);
                    OutputStream out = Files.newOutputStream(part)) {
                progress.started(asset.file(), asset.size(), s.describe());
                byte[] buf = new byte[1 << 16];
                long reported = 0;
                for (int r; (r = din.read(buf)) >= 0; ) {
                    n += r;
                    if (n > asset.size()) {
                        throw new IOException(asset.source() + " is larger than the " + asset.size()
                                + " bytes its manifest gives: refusing it");
                    }
                    out.write(buf, 0, r);
                    if (n - reported >= (1 << 20)) {
                        progress.progressed(n);
                        reported = n;
                    }
                }
            }
            progress.progressed(n);
            if (n != asset.size()) {
                throw new IOException(asset.source() + " ended after " + n + " of " + asset.size()
                        + " bytes (a cut download): nothing was kept");
            }
            String got = HexFormat.of().formatHex(md.digest());
            if (!got.equals(asset.sha256())) {
                throw new IOException(asset.source() + " has SHA-256 " + got + ", the manifest says " + asset.sha256()
                        + ": the download is corrupt or the manifest stale; nothing was kept");
            }
            Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("r--r--r--"));
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            progress.finished();
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Removes *.part files: under the lock nobody else is filling, so they are a killed filler's leftovers. */
    private static void removeLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, ".*.part")) {
            for (Path p : parts) {
                LOG.info("removing {} left by an interrupted fill", p);
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean stampMatches(Path file, Path stamp, GuestManifest.Asset asset) throws IOException {
        if (!Files.isRegularFile(stamp)) {
            return false;
        }
        return Files.readString(stamp, StandardCharsets.US_ASCII).strip().equals(stampText(file, asset));
    }

    private static void writeStamp(Path file, Path stamp, GuestManifest.Asset asset) throws IOException {
        Path tmp = Files.createTempFile(stamp.getParent(), stamp.getFileName().toString(), ".part");
        try {
            Files.writeString(tmp, stampText(file, asset) + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, stamp, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String stampText(Path file, GuestManifest.Asset asset) throws IOException {
        return String.format(
                Locale.ROOT,
                "%s %d %d",
                asset.sha256(),
                Files.size(file),
                Files.getLastModifiedTime(file).toMillis());
    }

    private static String sha256Of(Path file) throws IOException {
        MessageDigest md = Hashing.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Configures an {@link AssetCache}; not thread-safe. */
    public static final class Builder {
        private Path directory = defaultDirectory();
        private final List<AssetSource> sources = new ArrayList<>();
        private ProgressSink progress = ProgressSink.logging();
        private String manifestSha256;

        private Builder() {}

        /**
         * The cache directory. Default {@link AssetCache#defaultDirectory()}.
         *
         * @param dir the cache directory (created 0700 when absent)
         * @return this builder
         */
        public Builder directory(Path dir) {
            this.directory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Adds a source; sources are tried in the order added.
         *
         * @param source a source of the manifest and assets
         * @return this builder
         */
        public Builder source(AssetSource source) {
            sources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /**
         * Where fill progress goes. Default {@link ProgressSink#logging()}.
         *
         * @param sink receives fill progress
         * @return this builder
         */
        public Builder progress(ProgressSink sink) {
            this.progress = Objects.requireNonNull(sink, "progress");
            return this;
        }

        /**
         * Accept only the manifest with this SHA-256 (64 hex digits): pins the image version.
         *
         * @param sha256 the manifest's SHA-256, 64 hex digits, or null for any manifest
         * @return this builder
         */
        public Builder manifestSha256(String sha256) {
            String s = Objects.requireNonNull(sha256, "sha256").toLowerCase(Locale.ROOT);
            if (!s.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("manifest SHA-256 must be 64 hex digits: " + sha256);
            }
            this.manifestSha256 = s;
            return this;
        }

        /**
         * The cache (nothing is read or created until {@link AssetCache#resolve()}).
         *
         * @return a new cache
         */
        public AssetCache build() {
            return new AssetCache(this);
        }
    }
}
