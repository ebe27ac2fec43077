package dev.virtualghost.api;

/** The outcome of one {@link HostCheck}, from best to worst. */
public enum CheckStatus {
    /** The host is ready for this aspect. */
    OK,
    /** The check did not apply or could not run here (the detail says why). */
    SKIPPED,
    /** The host works, but not as well as it could (for example no hugepages). */
    WARN,
    /** Launching will fail until the remedy is applied. */
    FAIL;

    /**
     * Returns whether this status stops a launch.
     *
     * @return true for {@link #FAIL}
     */
    public boolean blocksLaunch() {
        return this == FAIL;
    }
}
