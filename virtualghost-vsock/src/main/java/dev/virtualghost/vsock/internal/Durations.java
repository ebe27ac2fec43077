package dev.virtualghost.vsock.internal;

import java.time.Duration;
import java.util.Objects;

/** The one check every timeout, deadline and interval of this module goes through, and how they are shown. */
public final class Durations {
    private Durations() {}

    /**
     * Returns {@code d} if it is positive.
     *
     * @throws NullPointerException     if it is null ("{@code name} == null")
     * @throws IllegalArgumentException if it is zero or negative ("{@code name} must be positive: PT0S")
     */
    public static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name + " == null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    /** "5s" for whole seconds, else "600 ms". */
    public static String show(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + " ms";
    }
}
