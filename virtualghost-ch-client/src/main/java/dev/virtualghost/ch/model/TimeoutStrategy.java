package dev.virtualghost.ch.model;

/**
 * The values CH currently sends or accepts for the string enum {@code TimeoutStrategy}: The strategy to apply when the migration timeout is reached. Cancel will abort the migration and keep the VM running on the source. Ignore will proceed with the migration regardless of the downtime requirement.
 *
 * <p>Records carry these as plain {@code String}s so that a value added by a newer CH still parses; compare
 * against these constants. Not instantiable.
 */
public final class TimeoutStrategy {

    /** {@code "Cancel"}. */
    public static final String CANCEL = "Cancel";

    /** {@code "Ignore"}. */
    public static final String IGNORE = "Ignore";

    /** The known values, in spec order. */
    public static final java.util.List<String> VALUES = java.util.List.of("Cancel", "Ignore");

    private TimeoutStrategy() {}
}
