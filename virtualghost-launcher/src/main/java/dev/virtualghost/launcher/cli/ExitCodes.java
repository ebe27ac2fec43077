package dev.virtualghost.launcher.cli;

/** The launcher's exit codes, one place for all of them. */
final class ExitCodes {
    /** Success. */
    static final int OK = 0;
    /**
     * A launch failed or the VM died, the guest could not be fetched or verified into the asset cache, or
     * {@code doctor --strict} found a failure (a {@code VirtualGhostException}).
     */
    static final int FAILED = 1;
    /** The command line or the config was wrong. */
    static final int USAGE = 2;
    /** The host cannot run this launch (a preflight check failed: missing binary, file, device). */
    static final int HOST = 3;
    /** The run was ended by SIGINT (128 + 2), after a clean unwind. */
    static final int SIGINT = 130;
    /** The run was ended by SIGTERM (128 + 15), after a clean unwind. */
    static final int SIGTERM = 143;
    /** A bug: an exception that is not a {@code VirtualGhostException}. */
    static final int INTERNAL = 70;

    private ExitCodes() {}
}
