package dev.virtualghost.launcher.cli;

/** The launcher's exit codes, one place for all of them. */
final class ExitCodes {
    /** Success. */
    static final int OK = 0;
    /** The host or the VM failed (a {@code VirtualGhostException}), or {@code doctor --strict} found a failure. */
    static final int FAILED = 1;
    /** The command line was wrong. */
    static final int USAGE = 2;
    /** A bug: an exception that is not a {@code VirtualGhostException}. */
    static final int INTERNAL = 70;

    private ExitCodes() {
    }
}
