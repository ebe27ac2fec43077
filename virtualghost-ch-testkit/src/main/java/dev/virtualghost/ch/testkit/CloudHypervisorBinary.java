package dev.virtualghost.ch.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a real {@code cloud-hypervisor} (and its CLI client {@code ch-remote}) for tests, the same way in every
 * module: the environment variable {@value #ENV_BINARY} first, else {@code ch/cloud-hypervisor} under the shared
 * fixtures directory (system property {@value #SHARED_DIR_PROPERTY}, else a {@code shared} directory beside the
 * project root, found by walking up from the working directory to the outermost directory holding a
 * {@code pom.xml}). The project never ships or downloads CH: users bring their own.
 *
 * <pre>{@code
 * @RequiresCloudHypervisor
 * class MyIT {
 *     @Test
 *     void boots() {
 *         Path ch = CloudHypervisorBinary.find().orElseThrow();
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class CloudHypervisorBinary {
    /** Environment variable naming the {@code cloud-hypervisor} binary. */
    public static final String ENV_BINARY = "VIRTUALGHOST_CH_BINARY";
    /** System property naming the shared fixtures directory (holding {@code ch/cloud-hypervisor}). */
    public static final String SHARED_DIR_PROPERTY = "virtualghost.shared.dir";

    private CloudHypervisorBinary() {}

    /**
     * The real {@code cloud-hypervisor}, when one is found and executable.
     *
     * @return the absolute path of the binary; empty when {@value #ENV_BINARY} names no executable file, or when it
     *     is unset and the shared directory holds none ({@link #missingReason()} says which)
     */
    public static Optional<Path> find() {
        String env = System.getenv(ENV_BINARY);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env).toAbsolutePath();
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return inShared("cloud-hypervisor");
    }

    /**
     * The real {@code ch-remote}: beside the binary {@value #ENV_BINARY} names when set, else in the shared
     * directory.
     *
     * @return the path of an executable {@code ch-remote}; empty when there is none in either place
     */
    public static Optional<Path> findChRemote() {
        String env = System.getenv(ENV_BINARY);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env).toAbsolutePath().resolveSibling("ch-remote");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return inShared("ch-remote");
    }

    /**
     * Why {@link #find()} is empty: one line saying where it looked and what to set.
     *
     * @return a one-line reason, fit for a skipped test's message; meaningful only when {@link #find()} is empty
     */
    public static String missingReason() {
        String env = System.getenv(ENV_BINARY);
        if (env != null && !env.isBlank()) {
            return "no real cloud-hypervisor: " + ENV_BINARY + "=" + env + " is not an executable file";
        }
        return "no real cloud-hypervisor: " + ENV_BINARY + " is not set and "
                + sharedDir()
                        .map(d -> d.resolve("ch/cloud-hypervisor").toString())
                        .orElse("../shared/ch/cloud-hypervisor")
                + " does not exist (set " + ENV_BINARY + " or -D" + SHARED_DIR_PROPERTY + ")";
    }

    private static Optional<Path> inShared(String name) {
        return sharedDir().map(d -> d.resolve("ch").resolve(name)).filter(Files::isExecutable);
    }

    /** The shared fixtures directory, when it can be named (it may not exist). */
    static Optional<Path> sharedDir() {
        String prop = System.getProperty(SHARED_DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Optional.of(Path.of(prop).toAbsolutePath().normalize());
        }
        Path root = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml"))) {
                root = d;
            }
        }
        if (root == null || root.getParent() == null) {
            return Optional.empty();
        }
        return Optional.of(root.resolveSibling("shared"));
    }
}
