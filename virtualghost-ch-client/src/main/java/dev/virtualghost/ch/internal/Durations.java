package dev.virtualghost.ch.internal;

import java.time.Duration;
import java.util.Objects;

/** The one check for the timeouts every builder of this module takes. Stateless. */
public final class Durations {

    private Durations() {}

    /**
     * Returns {@code d} when it is positive.
     *
     * @throws NullPointerException when {@code d} is null ("{@code name} == null")
     * @throws IllegalArgumentException when {@code d} is zero or negative ("{@code name} must be positive: PT0S")
     */
    public static Duration requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name + " == null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }
}
