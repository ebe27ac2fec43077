package dev.virtualghost.ch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The real {@code cloud-hypervisor} for this module's tests, found as everywhere in the project: env
 * {@code VIRTUALGHOST_CH_BINARY}, else {@code <virtualghost.shared.dir>/ch/cloud-hypervisor}. Tests without it skip
 * with the reason, unless {@code -Dvirtualghost.it.strict=true} turns the skip into a failure.
 *
 * <p>The same lookup and rule as the testkit's {@code CloudHypervisorBinary} and {@code @RequiresCloudHypervisor},
 * which every other module's tests use. This module cannot: the testkit's own tests depend on ch-client, and Maven
 * forbids the cycle a test dependency back would make. Keep the two in step.
 */
final class RealCh {

    private RealCh() {}

    static Optional<Path> find(String name) {
        String env = System.getenv("VIRTUALGHOST_CH_BINARY");
        Path p;
        if (env != null && !env.isEmpty()) {
            p = name.equals("cloud-hypervisor") ? Path.of(env) : Path.of(env).resolveSibling(name);
        } else {
            String shared = System.getProperty("virtualghost.shared.dir");
            p = (shared != null
                            ? Path.of(shared)
                            : Path.of("").toAbsolutePath().getParent().resolve("../shared"))
                    .resolve("ch")
                    .resolve(name)
                    .normalize();
        }
        return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    /** The binary, or the test is skipped (failed under strict mode) with the reason. */
    static Path binary() {
        return require("cloud-hypervisor");
    }

    /** ch-remote beside the binary, or skip/fail as {@link #binary()}. */
    static Path chRemote() {
        return require("ch-remote");
    }

    private static Path require(String name) {
        Optional<Path> p = find(name);
        String reason = "no real " + name + ": set VIRTUALGHOST_CH_BINARY or put it in <virtualghost.shared.dir>/ch/";
        if (p.isEmpty() && Boolean.getBoolean("virtualghost.it.strict")) {
            throw new AssertionError(reason + " (virtualghost.it.strict=true)");
        }
        Assumptions.assumeTrue(p.isPresent(), reason);
        Assumptions.assumeTrue(
                Files.exists(Path.of("/dev/kvm")) || name.equals("ch-remote"),
                "no /dev/kvm: the real cloud-hypervisor cannot start here");
        return p.get();
    }
}
