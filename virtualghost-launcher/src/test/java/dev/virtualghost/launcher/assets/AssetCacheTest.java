package dev.virtualghost.launcher.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetCacheTest {

    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private Path cacheDir() {
        return tmp.resolve("cache/virtualghost");
    }

    /** A real HTTP server on 127.0.0.1 serving the fixture's files, each body passed through {@code tamper}. */
    private URI serve(ImageFixture f, UnaryOperator<byte[]> tamper) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/guest/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/guest/".length());
            requests.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            Path file = f.dir.resolve(name);
            if (name.contains("/") || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = name.equals("manifest.json")
                        ? Files.readAllBytes(file)
                        : tamper.apply(Files.readAllBytes(file));
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/guest/");
    }

    private static void assertContents(GuestAssets a, ImageFixture f) throws IOException {
        assertThat(Files.readAllBytes(a.kernel())).isEqualTo(f.contents.get("kernel"));
        assertThat(Files.readAllBytes(a.initramfs())).isEqualTo(f.contents.get("initramfs"));
        assertThat(Files.readAllBytes(a.rootfs())).isEqualTo(f.contents.get("rootfs"));
    }

    /** Regular files in the cache other than the lock file and the verification stamps. */
    private List<Path> cachedFiles() throws IOException {
        if (!Files.exists(cacheDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(cacheDir())) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals(".lock"))
                    .toList();
        }
    }

    @Test
    void fillsFromALocalHttpServerVerifiesAndThenReusesWithoutDownloading() throws Exception {
        ImageFixture f = new ImageFixture(tmp.resolve("image"), false);
        URI base = serve(f, UnaryOperator.identity());
        AssetCache cache = AssetCache.builder()
                .directory(cacheDir())
                .source(AssetSource.url(base, Duration.ofSeconds(10)))
                .progress(ProgressSink.none())
                .build();

        GuestAssets first = cache.resolve();
        assertContents(first, f);
        assertThat(first.cmdline()).isEqualTo("console=ttyS0 root=/dev/vda ro");
        assertThat(first.rootfs()).startsWith(cacheDir().resolve("guest"));
        assertThat(Files.getPosixFilePermissions(first.rootfs()))
                .isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
        assertThat(Files.getPosixFilePermissions(cacheDir())).isEqualTo(PosixFilePermissions.fromString("rwx------"));

        GuestAssets second = cache.resolve();
        assertThat(second).isEqualTo(first);
        assertThat(requests.get("rootfs.ext4").get()).isEqualTo(1);
        assertThat(requests.get("vmlinuz").get()).isEqualTo(1);
        assertThat(requests.get("manifest.json").get()).isEqualTo(2);
    }

    @Test
    void fillsFromAGzippedResourceSetOnTheClassPath() throws Exception {
        Path jarRoot = tmp.resolve("artifact");
        ImageFixture f = new ImageFixture(jarRoot.resolve("virtualghost-guest"), true);
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {jarRoot.toUri().toURL()}, null)) {
            AssetCache cache = AssetCache.builder()
                    .directory(cacheDir())
                    .source(AssetSource.classpath(loader, "virtualghost-guest"))
                    .progress(ProgressSink.none())
                    .build();
            GuestAssets a = cache.resolve();
            assertContents(a, f);
            assertThat(a.rootfs().getFileName().toString()).isEqualTo("rootfs.ext4");
        }
    }

    @Test
    void aCorruptDownloadIsRefusedAndNothingIsLeftBehind() throws Exception {
        ImageFixture f = new ImageFixture(tmp.resolve("image"), false);
        URI base = serve(f, body -> {
            byte[] copy = body.clone();
            copy[copy.length / 2] ^= 1; // one flipped bit, same length
            return copy;
        });
        AssetCache cache = AssetCache.builder()
                .directory(cacheDir())
                .source(AssetSource.url(base, Duration.ofSeconds(10)))
                .progress(ProgressSink.none())
                .build();
        assertThatThrownBy(cache::resolve)
                .isInstanceOf(AssetException.class)
                .hasMessageContaining("cannot fetch guest kernel vmlinuz")
                .hasMessageContaining("the download is corrupt or the manifest stale; nothing was kept");
        assertThat(cachedFiles()).isEmpty();
    }

    @Test
    void aCutDownloadIsRefusedAndNothingIsLeftBehind() throws Exception {
        ImageFixture f = new ImageFixture(tmp.resolve("image"), false);
        byte[] kernel = f.contents.get("kernel");
        byte[] manifest = f.manifest;
        // A raw HTTP server: announces the full Content-Length, sends half of the kernel, then closes.
        try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(
                    () -> {
                        while (!ss.isClosed()) {
                            try (Socket s = ss.accept()) {
                                String request = readHead(s);
                                byte[] body = request.contains("manifest.json") ? manifest : kernel;
                                int send = body == manifest ? body.length : body.length / 2;
                                OutputStream out = s.getOutputStream();
                                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length
                                                + "\r\nConnection: close\r\n\r\n")
                                        .getBytes(StandardCharsets.US_ASCII));
                                out.write(body, 0, send);
                                out.flush();
                                s.shutdownOutput();
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "cut-http");
            t.setDaemon(true);
            t.start();
            AssetCache cache = AssetCache.builder()
                    .directory(cacheDir())
                    .source(AssetSource.url(
                            URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/g/"), Duration.ofSeconds(10)))
                    .progress(ProgressSink.none())
                    .build();
            assertThatThrownBy(cache::resolve)
                    .isInstanceOf(AssetException.class)
                    .hasMessageContaining("cannot fetch guest kernel vmlinuz");
        }
        assertThat(cachedFiles()).isEmpty();
    }

    /** Reads an HTTP request head up to its blank line. */
    private static String readHead(Socket s) throws IOException {
        StringBuilder head = new StringBuilder();
        var in = s.getInputStream();
        for (int c; !head.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0; ) {
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void aTamperedCachedFileIsDetectedAndFetchedAgain() throws Exception {
        ImageFixture f = new ImageFixture(tmp.resolve("image"), false);
        ImageFixture.CountingSource src = new ImageFixture.CountingSource(AssetSource.directory(f.dir), 0);
        AssetCache cache = AssetCache.builder()
                .directory(cacheDir())
                .source(src)
                .progress(ProgressSink.none())
                .build();
        Path rootfs = cache.resolve().rootfs();

        Files.setPosixFilePermissions(rootfs, PosixFilePermissions.fromString("rw-------"));
        byte[] bad = Files.readAllBytes(rootfs);
        bad[7] ^= 0x55;
        Files.write(rootfs, bad);
        Files.setLastModifiedTime(rootfs, FileTime.fromMillis(1_000_000));

        GuestAssets again = cache.resolve();
        assertContents(again, f);
        assertThat(src.opens("rootfs.ext4")).isEqualTo(2);
        assertThat(src.opens("vmlinuz")).isEqualTo(1);
    }

    @Test
    void leftoversOfAKilledFillerAreRemoved() throws Exception {
        ImageFixture f = new ImageFixture(tmp.resolve("image"), false);
        GuestManifest m = GuestManifest.parse(f.manifest);
        Path dir = cacheDir()
                .resolve("guest")
                .resolve(m.asset("rootfs").orElseThrow().sha256());
        Files.createDirectories(dir);
        Path leftover = dir.resolve(".rootfs.ext4.123456.part");
        Files.write(leftover, new byte[1000]);
        AssetCache cache = AssetCache.builder()
                .directory(cacheDir())
                .source(AssetSource.directory(f.dir))
                .progress(ProgressSink.none())
                .build();
        assertContents(cache.resolve(m), f);
        assertThat(leftover).doesNotExist();
    }

    @Test
    void concurrentFillersFetchEachFileOnce() throws Exception {
        ImageFixture f = new ImageFixture(tmp.resolve("image"), false);
        ImageFixture.CountingSource src = new ImageFixture.CountingSource(AssetSource.directory(f.dir), 5);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<GuestAssets>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                // Separate AssetCache instances on one directory, as separate `run` invocations would have.
                AssetCache cache = AssetCache.builder()
                        .directory(cacheDir())
                        .source(src)
                        .progress(ProgressSink.none())
                        .build();
                results.add(pool.submit((Callable<GuestAssets>) cache::resolve));
            }
            GuestAssets first = results.get(0).get();
            for (Future<GuestAssets> r : results) {
                assertThat(r.get()).isEqualTo(first);
            }
            assertContents(first, f);
        } finally {
            pool.shutdownNow();
        }
        assertThat(src.opens("rootfs.ext4")).isEqualTo(1);
        assertThat(src.opens("initrd.img")).isEqualTo(1);
    }

    @Test
    void clearEmptiesTheCacheAndTheNextResolveFillsItAgain() throws Exception {
        ImageFixture f = new ImageFixture(tmp.resolve("image"), false);
        ImageFixture.CountingSource src = new ImageFixture.CountingSource(AssetSource.directory(f.dir), 0);
        AssetCache cache = AssetCache.builder()
                .directory(cacheDir())
                .source(src)
                .progress(ProgressSink.none())
                .build();
        cache.resolve();
        assertThat(cachedFiles()).isNotEmpty();
        cache.clear();
        try (Stream<Path> s = Files.list(cacheDir())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(".lock");
        }
        assertContents(cache.resolve(), f);
        assertThat(src.opens("vmlinuz")).isEqualTo(2);
    }

    @Test
    void fallsBackToTheNextSourceAndSaysWhatIsMissing() throws Exception {
        ImageFixture f = new ImageFixture(tmp.resolve("image"), false);
        URI base = serve(f, UnaryOperator.identity());
        AssetCache cache = AssetCache.builder()
                .directory(cacheDir())
                .source(AssetSource.directory(tmp.resolve("nothing-here")))
                .source(AssetSource.url(base, Duration.ofSeconds(10)))
                .progress(ProgressSink.none())
                .build();
        assertContents(cache.resolve(), f);

        AssetCache none = AssetCache.builder()
                .directory(cacheDir().resolveSibling("other"))
                .source(AssetSource.url(base.resolve("/missing/"), Duration.ofSeconds(10)))
                .build();
        assertThatThrownBy(none::resolve)
                .isInstanceOf(AssetException.class)
                .hasMessageStartingWith("no guest manifest.json found at http://127.0.0.1:")
                .hasMessageContaining("guest/build-image.sh");
        assertThatThrownBy(
                        () -> AssetCache.builder().directory(cacheDir()).build().resolve())
                .isInstanceOf(AssetException.class)
                .hasMessageContaining("no guest asset source configured");
    }

    @Test
    void aPinnedManifestDigestRefusesAnotherImage() throws Exception {
        ImageFixture f = new ImageFixture(tmp.resolve("image"), false);
        AssetCache cache = AssetCache.builder()
                .directory(cacheDir())
                .source(AssetSource.directory(f.dir))
                .manifestSha256("0".repeat(64))
                .progress(ProgressSink.none())
                .build();
        assertThatThrownBy(cache::resolve).isInstanceOf(AssetException.class).hasMessageContaining("is pinned");
        AssetCache pinned = AssetCache.builder()
                .directory(cacheDir())
                .source(AssetSource.directory(f.dir))
                .manifestSha256(Hashing.sha256Hex(f.manifest))
                .progress(ProgressSink.none())
                .build();
        assertContents(pinned.resolve(), f);
        assertThat(cachedFiles()).hasSize(6); // three files and their verification stamps
    }

    @Test
    void progressIsABarOnATerminalAndPlainLinesOtherwise() throws Exception {
        ImageFixture f = new ImageFixture(tmp.resolve("image"), false);
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        AssetCache.builder()
                .directory(cacheDir())
                .source(AssetSource.directory(f.dir))
                .progress(ProgressSink.console(new PrintStream(bar, true, StandardCharsets.UTF_8), true))
                .build()
                .resolve();
        String barText = bar.toString(StandardCharsets.UTF_8);
        assertThat(barText).contains("\rrootfs.ext4 [").contains("] 100%").contains("#".repeat(30));

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        AssetCache.builder()
                .directory(tmp.resolve("cache2"))
                .source(AssetSource.directory(f.dir))
                .progress(ProgressSink.console(new PrintStream(plain, true, StandardCharsets.UTF_8), false))
                .build()
                .resolve();
        String lines = plain.toString(StandardCharsets.UTF_8);
        assertThat(lines)
                .doesNotContain("\r")
                .contains("fetching guest rootfs.ext4 (")
                .contains("rootfs.ext4: verified\n");
    }

    @Test
    void defaultDirectoryFollowsXdgCacheHome() {
        assertThat(AssetCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "/var/cache/u"), "/home/u"))
                .isEqualTo(Path.of("/var/cache/u/virtualghost"));
        assertThat(AssetCache.defaultDirectory(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/virtualghost"));
        assertThat(AssetCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "relative"), "/home/u"))
                .as("the XDG spec says to ignore relative paths")
                .isEqualTo(Path.of("/home/u/.cache/virtualghost"));
    }

    @Test
    void explicitAssetsMustBeReadableFiles() throws Exception {
        Path k = Files.write(tmp.resolve("k"), new byte[] {1});
        Path i = Files.write(tmp.resolve("i"), new byte[] {2});
        Path r = Files.write(tmp.resolve("r"), new byte[] {3});
        assertThat(GuestAssets.explicit(k, i, r).rootfs()).isEqualTo(r.toAbsolutePath());
        assertThatThrownBy(() -> GuestAssets.explicit(k, tmp.resolve("missing"), r))
                .isInstanceOf(AssetException.class)
                .hasMessage("guest initramfs " + tmp.resolve("missing") + " does not exist or is not a file: pass an"
                        + " existing file, or leave it out to use the asset cache");
    }
}
