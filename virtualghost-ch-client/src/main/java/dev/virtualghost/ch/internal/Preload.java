package dev.virtualghost.ch.internal;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChException;
import dev.virtualghost.ch.model.MemoryConfig;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmmPingResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and initialises the client's libraries on a daemon thread: OkHttp and the Kotlin runtime, junixsocket and
 * its native library, Moshi's adapters for {@code vmm.ping} and {@code vm.create}. In a cold JVM that is several
 * hundred milliseconds of class loading before the first API call; a short-lived process (the CLI) starts it first
 * thing so the cost overlaps its own start-up. One call against a socket path that cannot exist ({@code /dev/null}
 * is no directory) walks OkHttp's call path up to the connect, which fails at once and creates nothing.
 */
public final class Preload {

    private static final Logger LOG = LoggerFactory.getLogger(Preload.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final CompletableFuture<Void> DONE = new CompletableFuture<>();
    /** Connecting here fails with ENOTDIR before touching any file system object. */
    static final Path UNREACHABLE = Path.of("/dev/null/virtualghost-preload.sock");

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final String PING = "{\"build_version\":\"v0\",\"version\":\"0\",\"pid\":1,\"features\":[]}";

    private Preload() {}

    /**
     * Starts the preload once per JVM; later calls only return the same future.
     *
     * @return completes (never exceptionally) when the preload has finished
     */
    public static CompletableFuture<Void> start() {
        if (STARTED.compareAndSet(false, true)) {
            Thread t = new Thread(
                    () -> {
                        try {
                            run();
                        } finally {
                            DONE.complete(null);
                        }
                    },
                    "virtualghost-ch-preload");
            t.setDaemon(true);
            t.start();
        }
        return DONE;
    }

    /** The preload itself, on the caller's thread; never throws. */
    static void run() {
        try {
            JsonCodec.INSTANCE.read(PING, VmmPingResponse.class);
            JsonCodec.INSTANCE.write(VmConfig.builder()
                    .memory(MemoryConfig.ofSize(64L << 20))
                    .payload(new PayloadConfig(null, "/dev/null", null, null, null, null))
                    .build());
            try (ChClient client = ChClient.builder()
                    .socket(UNREACHABLE)
                    .callTimeout(TIMEOUT)
                    .connectTimeout(TIMEOUT)
                    .build()) {
                client.ping();
            } catch (ChException expected) {
                // The connect fails by design: the classes on the way to it are what this is for.
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            // Only an optimisation: the real first call loads whatever this could not, and reports any real error.
            LOG.debug("ch client preload stopped: {}", e.toString());
        }
    }
}
