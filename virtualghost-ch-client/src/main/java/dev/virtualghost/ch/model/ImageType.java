package dev.virtualghost.ch.model;

/**
 * The values of CH's string enum {@code ImageType}: disk image formats CH reads ({@link DiskConfig#imageType()}).
 *
 * <p>Records carry these as plain {@code String}s so that a value added by a newer CH still parses; compare
 * against these constants. Not instantiable.
 */
public final class ImageType {

    /** {@code "FixedVhd"}. */
    public static final String FIXED_VHD = "FixedVhd";

    /** {@code "Qcow2"}. */
    public static final String QCOW2 = "Qcow2";

    /** {@code "Raw"}. */
    public static final String RAW = "Raw";

    /** {@code "Vhdx"}. */
    public static final String VHDX = "Vhdx";

    /** {@code "Unknown"}. */
    public static final String UNKNOWN = "Unknown";

    /** The known values, in spec order. */
    public static final java.util.List<String> VALUES =
            java.util.List.of("FixedVhd", "Qcow2", "Raw", "Vhdx", "Unknown");

    private ImageType() {}
}
