package dev.virtualghost.launcher.assets;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes filling one cache at once: the lock file makes them take turns, so each file is fetched once. */
class AssetCacheProcessTest {

    @Test
    void twoProcessesFillingOneCacheFetchEachFileOnce(@TempDir Path tmp) throws Exception {
        ImageFixture f = new ImageFixture(tmp.resolve("image"), false);
        Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        CountDownLatch firstFileRequested = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.createContext("/g/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring(3);
            requests.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            byte[] body = Files.readAllBytes(f.dir.resolve(name));
            if (!name.equals("manifest.json")) {
                firstFileRequested.countDown();
                sleep(400); // slow enough that the other filler arrives while this one holds the lock
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            exchange.close();
        });
        server.start();
        Path cache = tmp.resolve("cache");
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/g/";
        try {
            Process child = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            FillerMain.class.getName(),
                            cache.toString(),
                            url)
                    .redirectErrorStream(true)
                    .start();
            try {
                assertThat(firstFileRequested.await(60, TimeUnit.SECONDS))
                        .as("the child started filling")
                        .isTrue();
                GuestAssets here = AssetCache.builder()
                        .directory(cache)
                        .source(AssetSource.url(URI.create(url), Duration.ofSeconds(30)))
                        .progress(ProgressSink.none())
                        .build()
                        .resolve();
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(child.exitValue()).as(out).isZero();
                assertThat(out).contains("resolved " + here.rootfs());
                assertThat(Files.readAllBytes(here.rootfs())).isEqualTo(f.contents.get("rootfs"));
            } finally {
                child.destroyForcibly();
            }
        } finally {
            server.stop(0);
            handlers.shutdownNow();
        }
        assertThat(requests.get("vmlinuz").get()).isEqualTo(1);
        assertThat(requests.get("initrd.img").get()).isEqualTo(1);
        assertThat(requests.get("rootfs.ext4").get()).isEqualTo(1);
        assertThat(requests.get("manifest.json").get()).isEqualTo(2);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
