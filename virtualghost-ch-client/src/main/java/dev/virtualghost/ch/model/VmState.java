package dev.virtualghost.ch.model;

import java.util.Objects;

/**
 * The state of a VM as {@code vm.info} reports it ({@code VmState} in CH's API).
 *
 * <p>Parsing tolerates values a newer CH may add: anything unknown is {@link #UNKNOWN} instead of a parse
 * failure, so {@code switch} on it with a default branch.
 */
public enum VmState {

    /** {@code "Created"}: {@code vm.create} done, not booted (or shut down again). */
    CREATED("Created"),

    /** {@code "Running"}: booted and running. */
    RUNNING("Running"),

    /** {@code "Shutdown"}: the guest powered off and the VMM keeps the VM ({@code --no-shutdown}). */
    SHUTDOWN("Shutdown"),

    /** {@code "Paused"}: {@code vm.pause} done. */
    PAUSED("Paused"),

    /** {@code "BreakPoint"}: stopped at a debugger breakpoint (gdb stub builds). */
    BREAK_POINT("BreakPoint"),

    /** A value this client does not know (from a newer CH); written as {@code null}. */
    UNKNOWN(null);

    private final String wireName;

    VmState(String wireName) {
        this.wireName = wireName;
    }

    /** The name CH uses on the wire, e.g. {@code "Running"}; null for {@link #UNKNOWN}. */
    public String wireName() {
        return wireName;
    }

    /** CH's name ({@code "Running"}), so that printing a state reads as CH's own output; {@code UNKNOWN} as is. */
    @Override
    public String toString() {
        return wireName != null ? wireName : name();
    }

    /** The state CH calls {@code wireName}; {@link #UNKNOWN} for null or a name this client does not know. */
    public static VmState parse(String wireName) {
        for (VmState s : values()) {
            if (s.wireName != null && Objects.equals(s.wireName, wireName)) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
