package dev.virtualghost.ch.model;

/**
 * The values CH currently sends or accepts for the string enum {@code VmState}: The {@code VmState} object of the Cloud Hypervisor REST API.
 *
 * <p>Records carry these as plain {@code String}s so that a value added by a newer CH still parses; compare
 * against these constants. Not instantiable.
 */
public final class VmState {

    /** {@code "Created"}. */
    public static final String CREATED = "Created";

    /** {@code "Running"}. */
    public static final String RUNNING = "Running";

    /** {@code "Shutdown"}. */
    public static final String SHUTDOWN = "Shutdown";

    /** {@code "Paused"}. */
    public static final String PAUSED = "Paused";

    /** {@code "BreakPoint"}. */
    public static final String BREAK_POINT = "BreakPoint";

    /** The known values, in spec order. */
    public static final java.util.List<String> VALUES = java.util.List.of("Created", "Running", "Shutdown", "Paused", "BreakPoint");

    private VmState() {
    }
}
