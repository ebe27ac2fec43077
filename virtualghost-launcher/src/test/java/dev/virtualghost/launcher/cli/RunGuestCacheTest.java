package dev.virtualghost.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.virtualghost.launcher.testing.LauncherProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} without {@code --kernel}: the guest comes from the asset cache, filled from {@code --guest-url} (a
 * real HTTP server on 127.0.0.1 serving a small synthetic image in guest/build-image.sh's layout), as a real
 * launcher process with its own {@code XDG_CACHE_HOME}; and {@code clean --cache} empties that cache.
 */
class RunGuestCacheTest {
    private static final List<String> FILES = List.of("vmlinuz", "initrd.img", "rootfs.ext4");
    private static final String IMAGE_CMDLINE = "console=ttyS0 root=/dev/vda ro";

    @TempDir
    Path tmp;

    HttpServer server;
    final Map<String, byte[]> served = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    Path cacheHome;
    Path fakeCh;
    String url;
    String[] sha = new String[3];

    @BeforeEach
    void image() throws Exception {
        Random random = new Random(7);
        StringBuilder json = new StringBuilder(
                "{\"format\": 1, \"name\": \"run-test\", \"cmdline\": \"" + IMAGE_CMDLINE + "\", \"assets\": {");
        String[] roles = {"kernel", "initramfs", "rootfs"};
        for (int i = 0; i < 3; i++) {
            byte[] data = new byte[40_000 + 10_000 * i];
            random.nextBytes(data);
            served.put(FILES.get(i), data);
            sha[i] = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            json.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(roles[i])
                    .append("\": {\"file\": \"")
                    .append(FILES.get(i))
                    .append("\", \"source\": \"")
                    .append(FILES.get(i))
                    .append("\", \"size\": ")
                    .append(data.length)
                    .append(", \"sha256\": \"")
                    .append(sha[i])
                    .append("\"}");
        }
        served.put("manifest.json", json.append("}}").toString().getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/guest/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/guest/".length());
            requests.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            byte[] body = served.get(name);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/guest/";
        cacheHome = tmp.resolve("cache-home");
        fakeCh = Files.writeString(tmp.resolve("cloud-hypervisor"), "#!/bin/sh\nexit 1\n");
        fakeCh.toFile().setExecutable(true);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private LauncherProcess launcher(String... args) throws IOException {
        Files.createDirectories(tmp.resolve("runtime"));
        return LauncherProcess.start(tmp, tmp.resolve("runtime"), Map.of("XDG_CACHE_HOME", cacheHome.toString()), args);
    }

    private LauncherProcess dryRun(String... extra) throws IOException {
        String[] base = {"run", "--wait", "--dry-run", "--ch-binary", fakeCh.toString(), "--guest-url", url};
        String[] all = Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new);
        return launcher(all);
    }

    private Path cached(int i) {
        return cacheHome.resolve("virtualghost/guest").resolve(sha[i]).resolve(FILES.get(i));
    }

    @Test
    void dryRunFillsTheCacheFromTheUrlAndShowsWhereEachFileCameFrom() throws Exception {
        try (LauncherProcess p = dryRun("--cmdline", "quiet")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.stderr()).isZero();
            String out = p.stdout();
            for (int i = 0; i < 3; i++) {
                assertThat(cached(i)).hasBinaryContent(served.get(FILES.get(i)));
                assertThat(out).contains(cached(i) + " (fetched from " + url + ")");
            }
            assertThat(out).contains("guest:        asset cache " + cacheHome.resolve("virtualghost"));
            // The image's own command line, then the user's, then the session key the launcher adds.
            assertThat(out)
                    .contains(
                            "\"kernel\":\"" + cached(0) + "\"",
                            "\"initramfs\":\"" + cached(1) + "\"",
                            "\"cmdline\":\"" + IMAGE_CMDLINE + " quiet\"",
                            "{\"path\":\"" + cached(2) + "\",\"readonly\":true}");
            assertThat(p.stderr()).contains("fetching guest vmlinuz", "vmlinuz: verified");
        }
        try (LauncherProcess again = dryRun()) {
            assertThat(again.awaitExit(Duration.ofSeconds(60)))
                    .as(again.stderr())
                    .isZero();
            assertThat(again.stdout()).contains(cached(2) + " (already cached)");
            assertThat(again.stderr()).doesNotContain("fetching");
        }
        for (String f : FILES) {
            assertThat(requests.get(f)).as(f).hasValue(1);
        }
    }

    @Test
    void aCorruptDownloadFailsRunInOneLineAndLeavesNothing() throws Exception {
        byte[] bad = served.get("initrd.img").clone();
        bad[1234] ^= 1;
        served.put("initrd.img", bad);
        try (LauncherProcess p = dryRun()) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.FAILED);
            List<String> errorLines = p.stderr()
                    .lines()
                    .filter(l -> l.startsWith("virtualghost:"))
                    .toList();
            assertThat(errorLines).hasSize(1);
            assertThat(errorLines.get(0)).contains("initrd.img", "corrupt", "nothing was kept");
            assertThat(p.stderr()).doesNotContain("\tat ", "Exception");
            assertThat(p.stdout()).doesNotContain("vm.create");
        }
        try (Stream<Path> left = Files.walk(cacheHome)) {
            assertThat(left.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString))
                    .noneMatch(n -> n.startsWith("initrd.img") || n.endsWith(".part") || n.contains("initrd.img."));
        }
    }

    @Test
    void aMalformedGuestUrlIsAUsageError() throws Exception {
        try (LauncherProcess p = launcher(
                "run",
                "--wait",
                "--dry-run",
                "--ch-binary",
                fakeCh.toString(),
                "--guest-url",
                "ftp://example.org/guest/")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.USAGE);
            assertThat(p.stderr().strip().lines()).hasSize(1);
            assertThat(p.stderr()).contains("guest-url from command line --guest-url", "ftp://example.org/guest/");
        }
        assertThat(cacheHome).doesNotExist();
    }

    @Test
    void aBadSettingIsReportedBeforeAnythingIsFetched() throws Exception {
        try (LauncherProcess p = dryRun("--vcpus", "0")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.USAGE);
            assertThat(p.stderr().strip().lines()).hasSize(1);
            assertThat(p.stderr()).contains("vcpus must be between 1 and 254, got 0");
        }
        assertThat(requests).isEmpty();
        assertThat(cacheHome).doesNotExist();
    }

    @Test
    void cleanCacheEmptiesTheCacheUnderXdgCacheHomeAndSaysWhatWent() throws Exception {
        try (LauncherProcess p = dryRun()) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.stderr()).isZero();
        }
        long total = served.entrySet().stream()
                .filter(e -> FILES.contains(e.getKey()))
                .mapToLong(e -> e.getValue().length)
                .sum();
        assertThat(cached(0)).exists();
        try (LauncherProcess clean = launcher("clean", "--cache")) {
            assertThat(clean.awaitExit(Duration.ofSeconds(60)))
                    .as(clean.stderr())
                    .isZero();
            assertThat(clean.stdout())
                    .contains(
                            "removed   guest/" + sha[0] + ": 2 file(s)",
                            "Emptied the guest asset cache " + cacheHome.resolve("virtualghost") + ": 6 file(s)");
            assertThat(total).isGreaterThan(0);
        }
        try (Stream<Path> left = Files.list(cacheHome.resolve("virtualghost"))) {
            assertThat(left.map(Path::getFileName).map(Path::toString)).containsOnly(".lock");
        }
        try (LauncherProcess clean = launcher("clean", "--cache")) {
            assertThat(clean.awaitExit(Duration.ofSeconds(60)))
                    .as(clean.stderr())
                    .isZero();
            assertThat(clean.stdout()).contains("Nothing to clean: the guest asset cache");
        }
    }
}
