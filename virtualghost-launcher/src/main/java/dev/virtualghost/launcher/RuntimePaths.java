package dev.virtualghost.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the launcher keeps per-run state that must outlive a crash but not a reboot: restore journals of
 * {@code vfio-pci} bindings, later sockets and state files. A reboot gives every device back to its boot-time
 * driver anyway, so a tmpfs runtime directory is the right home.
 *
 * <p>{@code $VIRTUALGHOST_RUNTIME_DIR} if set; else {@code /run/virtualghost} for root (who binds devices);
 * else {@code $XDG_RUNTIME_DIR/virtualghost}; else {@code ~/.cache/virtualghost/run}. Immutable.
 */
public final class RuntimePaths {

    /** The name of the directory of {@code vfio-pci} restore journals inside the root. */
    public static final String VFIO_DIR = "vfio";

    private final Path root;

    private RuntimePaths(Path root) {
        this.root = root;
    }

    /**
     * The paths for this process, from its environment and user.
     *
     * @return the paths for this process
     */
    public static RuntimePaths fromEnvironment() {
        return from(
                System.getenv(),
                "root".equals(System.getProperty("user.name")),
                Path.of(System.getProperty("user.home")));
    }

    static RuntimePaths from(Map<String, String> env, boolean root, Path home) {
        String explicit = env.get("VIRTUALGHOST_RUNTIME_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return new RuntimePaths(Path.of(explicit));
        }
        if (root) {
            return new RuntimePaths(Path.of("/run/virtualghost"));
        }
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            return new RuntimePaths(Path.of(xdg, "virtualghost"));
        }
        return new RuntimePaths(home.resolve(".cache/virtualghost/run"));
    }

    /**
     * The runtime root.
     *
     * @return the absolute runtime root
     */
    public Path root() {
        return root;
    }

    /**
     * Where run directories and their journals go ({@link RunJournal}).
     *
     * @return the directory of run directories
     */
    public Path runs() {
        return root.resolve(RunJournal.RUNS);
    }

    /**
     * Where {@code vfio-pci} restore journals go (created 0700 by whoever binds first).
     *
     * @return the directory of vfio-pci restore journals
     */
    public Path vfioJournals() {
        return root.resolve(VFIO_DIR);
    }
}
