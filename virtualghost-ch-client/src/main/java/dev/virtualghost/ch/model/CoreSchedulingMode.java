package dev.virtualghost.ch.model;

/**
 * The values of CH's string enum {@code CoreSchedulingMode}: which vCPU threads may share a physical core under Linux core scheduling ({@link CpusConfig#coreScheduling()}).
 *
 * <p>Records carry these as plain {@code String}s so that a value added by a newer CH still parses; compare
 * against these constants. Not instantiable.
 */
public final class CoreSchedulingMode {

    /** {@code "Vm"}. */
    public static final String VM = "Vm";

    /** {@code "Vcpu"}. */
    public static final String VCPU = "Vcpu";

    /** {@code "Off"}. */
    public static final String OFF = "Off";

    /** The known values, in spec order. */
    public static final java.util.List<String> VALUES = java.util.List.of("Vm", "Vcpu", "Off");

    private CoreSchedulingMode() {}
}
