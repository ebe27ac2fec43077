package dev.virtualghost.ch.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Finds {@code ../shared/spec/cloud-hypervisor.yaml} through the {@code virtualghost.shared.dir} property. */
final class SharedSpec {
    private SharedSpec() {}

    /** The spec path, or null when absent (outside users have none). */
    static Path find() {
        String dir = System.getProperty("virtualghost.shared.dir");
        Path shared = dir != null
                ? Path.of(dir)
                : Path.of("").toAbsolutePath().getParent().resolve("../shared");
        Path spec = shared.resolve("spec/cloud-hypervisor.yaml").normalize();
        return Files.isRegularFile(spec) ? spec : null;
    }

    /** The spec path; skips the test with the reason when absent. */
    static Path require() {
        Path spec = find();
        Assumptions.assumeTrue(
                spec != null,
                "CH spec not found: set -Dvirtualghost.shared.dir to the directory holding spec/cloud-hypervisor.yaml");
        return spec;
    }
}
