package dev.virtualghost.launcher;

/**
 * How a {@link Session}'s VM ended.
 *
 * <p>Immutable.
 *
 * @param poweredOff true when the guest powered off (CH reported {@code vm shutdown} and exited 0), false when
 *     the VMM died (a crash, a signal)
 * @param vmmExitCode the VMM's exit status (128 + the signal number when a signal killed it)
 */
public record SessionExit(boolean poweredOff, int vmmExitCode) {
    /**
     * A one-line description, e.g. "the guest powered off" or "the VMM exited with status 137 (SIGKILL)".
     *
     * @return the description, without a trailing period
     */
    public String describe() {
        if (poweredOff) {
            return "the guest powered off";
        }
        String signal = vmmExitCode > 128 ? " (signal " + (vmmExitCode - 128) + ")" : "";
        return "the VMM exited with status " + vmmExitCode + signal;
    }
}
