package dev.virtualghost.ch.model;

/**
 * The values of CH's string enum {@code MemoryRestoreMode}: how guest memory comes back from a snapshot ({@link RestoreConfig#memoryRestoreMode()}).
 *
 * <p>Records carry these as plain {@code String}s so that a value added by a newer CH still parses; compare
 * against these constants. Not instantiable.
 */
public final class MemoryRestoreMode {

    /** {@code "Copy"}. */
    public static final String COPY = "Copy";

    /** {@code "OnDemand"}. */
    public static final String ON_DEMAND = "OnDemand";

    /** The known values, in spec order. */
    public static final java.util.List<String> VALUES = java.util.List.of("Copy", "OnDemand");

    private MemoryRestoreMode() {}
}
