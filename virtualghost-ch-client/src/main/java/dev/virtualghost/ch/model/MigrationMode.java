package dev.virtualghost.ch.model;

/**
 * The values CH currently sends or accepts for the string enum {@code MigrationMode}: Memory transfer mode. Precopy transfers all guest memory before the destination resumes. Postcopy resumes the destination first and faults guest pages in on demand.
 *
 * <p>Records carry these as plain {@code String}s so that a value added by a newer CH still parses; compare
 * against these constants. Not instantiable.
 */
public final class MigrationMode {

    /** {@code "Precopy"}. */
    public static final String PRECOPY = "Precopy";

    /** {@code "Postcopy"}. */
    public static final String POSTCOPY = "Postcopy";

    /** The known values, in spec order. */
    public static final java.util.List<String> VALUES = java.util.List.of("Precopy", "Postcopy");

    private MigrationMode() {}
}
