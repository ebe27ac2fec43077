package dev.virtualghost.guest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.virtualghost.launcher.assets.AssetCache;
import dev.virtualghost.launcher.assets.AssetSource;
import dev.virtualghost.launcher.assets.GuestAssets;
import dev.virtualghost.launcher.assets.GuestManifest;
import dev.virtualghost.launcher.assets.ProgressSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full image as {@code guest/build-image.sh} wrote it, fetched by the launcher's {@link AssetCache} from a local
 * HTTP server: the manifest the recipe writes is the one the launcher verifies against. Building the image needs
 * root and minutes, so this runs only with {@code -Dvirtualghost.guest.image=OUT_DIR}.
 */
class GuestImageManifestIT {

    @Test
    void theLauncherFetchesAndVerifiesTheBuiltImage(@TempDir Path cacheDir) throws Exception {
        String image = System.getProperty("virtualghost.guest.image", "");
        if (image.isBlank()) {
            // Not a missing host part but an opt-in: never a failure, even in strict mode.
            org.junit.jupiter.api.Assumptions.abort(
                    "no -Dvirtualghost.guest.image=DIR (output of sudo guest/build-image.sh DIR)");
        }
        Path dir = Path.of(image).toAbsolutePath();
        GuestManifest m = GuestManifest.parse(Files.readAllBytes(dir.resolve("manifest.json")));
        assertThat(m.cmdline()).contains("root=/dev/vda").contains("virtualghost.overlay=tmpfs");

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path file =
                    dir.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, Files.size(file));
                try (var out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
            exchange.close();
        });
        server.start();
        try {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            AssetCache cache = AssetCache.builder()
                    .directory(cacheDir)
                    .source(AssetSource.url(
                            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                            Duration.ofSeconds(30)))
                    .progress(ProgressSink.console(new PrintStream(progress, true, StandardCharsets.UTF_8), false))
                    .build();
            GuestAssets assets = cache.resolve();
            assertThat(Files.mismatch(assets.rootfs(), dir.resolve("rootfs.ext4")))
                    .isEqualTo(-1L);
            assertThat(Files.mismatch(assets.kernel(), dir.resolve("vmlinuz"))).isEqualTo(-1L);
            assertThat(progress.toString(StandardCharsets.UTF_8)).contains("rootfs.ext4: verified");
        } finally {
            server.stop(0);
        }
    }
}
