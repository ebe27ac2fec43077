package dev.virtualghost.launcher.cli;

import dev.virtualghost.launcher.LaunchListener;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * The progress {@code run} shows: with {@code -v} every step and undo with its time; otherwise, on a terminal,
 * the phases that take time (VMM start, boot, waiting for the guest); nothing with {@code --quiet}.
 */
final class ProgressListener implements LaunchListener {
    private final PrintWriter err;
    private final boolean verbose;
    private final boolean show;

    ProgressListener(PrintWriter err, boolean verbose, boolean quiet) {
        this.err = err;
        this.verbose = verbose && !quiet;
        this.show = !quiet && (verbose || System.console() != null);
    }

    @Override
    public void stepStarted(String step) {
        if (verbose
                || show
                        && (step.equals("vmm.spawn")
                                || step.equals("vm.boot")
                                || step.equals("guest.ready")
                                || step.equals("gpu.bind"))) {
            err.println("virtualghost: " + step + " ...");
            err.flush();
        }
    }

    @Override
    public void stepSucceeded(String step, Duration took) {
        if (verbose) {
            err.println("virtualghost: " + step + " done in " + took.toMillis() + " ms (at epoch ms "
                    + System.currentTimeMillis() + ")");
            err.flush();
        }
    }

    @Override
    public void undoStarted(String undo) {
        if (verbose) {
            err.println("virtualghost: " + undo + " ...");
            err.flush();
        }
    }

    @Override
    public void undoFailed(String undo, Throwable failure) {
        err.println("virtualghost: " + undo + " failed: " + VirtualGhostCommand.oneLine(failure.getMessage()));
        err.flush();
    }
}
