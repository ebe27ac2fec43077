package dev.virtualghost.ch.model;

/**
 * The values of CH's string enum {@code LockGranularity}: how CH locks a disk image file ({@link DiskConfig#lockGranularity()}).
 *
 * <p>Records carry these as plain {@code String}s so that a value added by a newer CH still parses; compare
 * against these constants. Not instantiable.
 */
public final class LockGranularity {

    /** {@code "ByteRange"}. */
    public static final String BYTE_RANGE = "ByteRange";

    /** {@code "Full"}. */
    public static final String FULL = "Full";

    /** The known values, in spec order. */
    public static final java.util.List<String> VALUES = java.util.List.of("ByteRange", "Full");

    private LockGranularity() {}
}
