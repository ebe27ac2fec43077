package dev.virtualghost.ch.testkit.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The files behind {@code vm.snapshot}, {@code vm.coredump} and {@code vm.restore}: only {@code file://} URLs,
 * and a snapshot is a directory holding {@code config.json} and {@code state.json} (the simulator's stand-in
 * for CH's snapshot format). Failures are answered 500 with a CH-style chain.
 *
 * <p>Thread-safe (stateless); every file is closed before a method returns.
 */
final class SnapshotFiles {
    private SnapshotFiles() {}

    /** The local path of a {@code file://} URL; 500 for any other scheme, as the simulator supports no other. */
    static Path path(String what, String url) throws ApiFailure {
        if (url == null || !url.startsWith("file://")) {
            throw ApiFailure.api(500, what, "Unsupported URL scheme: " + url + " (only file:// is supported)");
        }
        return Path.of(URI.create(url));
    }

    /** Writes the snapshot of a config (without bookkeeping keys) and its memory size into {@code dir}. */
    static void writeSnapshot(String what, Path dir, Map<String, Object> config, long memoryActual) throws ApiFailure {
        write(what, dir.resolve("config.json"), Json.write(VmDevices.stripInternal(config), "  "));
        write(what, dir.resolve("state.json"), Json.write(Map.of("memory_actual_size", memoryActual), "  "));
    }

    /** Writes a placeholder core dump. */
    static void writeCoredump(String what, Path file) throws ApiFailure {
        write(what, file, "simulated coredump of a FakeCloudHypervisor VM\n");
    }

    /** The config saved in a snapshot directory. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> readConfig(String what, Path dir) throws ApiFailure {
        try {
            return (Map<String, Object>) Json.parse(Files.readString(dir.resolve("config.json")));
        } catch (IOException | ClassCastException e) {
            throw unreadable(what, dir, e);
        }
    }

    /** The memory size saved in a snapshot directory, or null when it holds none. */
    static Long readMemoryActual(String what, Path dir) throws ApiFailure {
        try {
            return Json.number(Json.parse(Files.readString(dir.resolve("state.json"))), "memory_actual_size");
        } catch (IOException e) {
            throw unreadable(what, dir, e);
        }
    }

    private static ApiFailure unreadable(String what, Path dir, Exception e) {
        return ApiFailure.api(
                500, what, "Error restoring VM", "Cannot read snapshot in " + dir + ": " + e.getMessage());
    }

    private static void write(String what, Path file, String text) throws ApiFailure {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ApiFailure.api(500, what, "Cannot write " + file + ": " + e);
        }
    }
}
