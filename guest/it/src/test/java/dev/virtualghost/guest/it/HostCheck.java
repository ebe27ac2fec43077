package dev.virtualghost.guest.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Skips a test whose host part is missing, or fails it under {@code -Dvirtualghost.it.strict=true}. */
final class HostCheck {
    private HostCheck() {}

    static boolean strict() {
        return Boolean.getBoolean("virtualghost.it.strict");
    }

    /** Aborts (skips) the test with {@code reason}, or fails it in strict mode. */
    static void missing(String reason) {
        if (strict()) {
            fail(reason + " (and -Dvirtualghost.it.strict=true)");
        }
        Assumptions.abort(reason);
    }

    /** The first executable called {@code name} on PATH. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
