package dev.virtualghost.launcher.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real cloud-hypervisor the tests use: {@code VIRTUALGHOST_CH_BINARY}, else
 * {@code <virtualghost.shared.dir>/ch/cloud-hypervisor}; skips with the reason when absent, or fails when
 * {@code -Dvirtualghost.it.strict=true}.
 */
public final class RealCh {
    private RealCh() {
    }

    /** The binary, if present. */
    public static Optional<Path> find() {
        String env = System.getenv("VIRTUALGHOST_CH_BINARY");
        if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        String shared = System.getProperty("virtualghost.shared.dir", "../../shared");
        Path p = Path.of(shared, "ch", "cloud-hypervisor");
        return Files.isExecutable(p) ? Optional.of(p.toAbsolutePath().normalize()) : Optional.empty();
    }

    /** The binary, or a skip (a failure in strict mode) with the reason; also requires /dev/kvm. */
    public static Path require() {
        Optional<Path> ch = find();
        String reason = ch.isEmpty() ? "no real cloud-hypervisor: set VIRTUALGHOST_CH_BINARY or "
                + "-Dvirtualghost.shared.dir (../shared/ch/cloud-hypervisor)" : null;
        if (reason == null && !Files.exists(Path.of("/dev/kvm"))) {
            reason = "no /dev/kvm: the real cloud-hypervisor cannot boot a VM here";
        }
        if (reason != null) {
            if (Boolean.getBoolean("virtualghost.it.strict")) {
                throw new AssertionError(reason + " (virtualghost.it.strict=true)");
            }
            Assumptions.abort(reason);
        }
        return ch.get();
    }
}
