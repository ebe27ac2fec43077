package dev.virtualghost.ch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChConnectionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Preload} and the cold path of the first API call: the preload's call fails at once without creating
 * anything, and a cold JVM's first call never loads the TLS stack or the CA keystore (the client is cleartext-only;
 * with OkHttp's default TLS spec its construction alone loads both, hundreds of ms in a cold {@code run}).
 */
class PreloadTest {

    @Test
    void theUnreachableSocketFailsAtOnceAndCreatesNothing() {
        long t0 = System.nanoTime();
        try (ChClient client = ChClient.builder()
                .socket(Preload.UNREACHABLE)
                .connectTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(5))
                .build()) {
            assertThatThrownBy(client::ping).isInstanceOf(ChConnectionException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        assertThat(Files.exists(Preload.UNREACHABLE)).isFalse();
    }

    @Test
    void runNeverThrowsAndStartHappensOncePerJvm() {
        Preload.run();
        CompletableFuture<Void> first = Preload.start();
        assertThat(Preload.start()).isSameAs(first);
        assertThat(first.orTimeout(30, TimeUnit.SECONDS).join()).isNull();
        assertThat(first).isCompleted();
    }

    @Test
    void aColdJvmsPreloadLoadsTheClientStackButNoTls(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("classes.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(
                        java.toString(),
                        "-Xlog:class+load=info:file=" + log,
                        "-cp",
                        System.getProperty("java.class.path"),
                        PreloadChildMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .start();
        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(jvm.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
        List<String> loaded = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(loaded)
                .as("the preload did load the client's stack")
                .anyMatch(l -> l.contains(" okhttp3.OkHttpClient "))
                .anyMatch(l -> l.contains(" org.newsclub.net.unix.NativeUnixSocket "))
                .anyMatch(l -> l.contains(" com.squareup.moshi.Moshi "));
        assertThat(loaded)
                .as("TLS or the CA keystore loaded by a cleartext client")
                .noneMatch(l -> l.contains(" javax.net.ssl.SSLContext "))
                .noneMatch(l -> l.contains(" java.security.KeyStore "))
                .noneMatch(l -> l.contains(" javax.net.ssl.TrustManagerFactory "));
    }

    /** The child JVM: the preload on this thread, then a second client's call, as a CLI's first call would be. */
    public static final class PreloadChildMain {
        private PreloadChildMain() {}

        public static void main(String[] args) {
            Preload.run();
            try (ChClient client =
                    ChClient.builder().socket(Preload.UNREACHABLE).build()) {
                client.ping();
            } catch (ChConnectionException expected) {
                System.exit(0);
            }
            System.exit(3);
        }
    }
}
