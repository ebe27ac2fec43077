package dev.virtualghost.launcher.cli;

import dev.virtualghost.launcher.RunRecovery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The run-journal part of {@code clean}, run before the {@code vfio-pci} journals: for each run whose owner is
 * dead, stop its VMM, restore its devices, remove its files ({@link RunRecovery}). Live runs are left alone.
 */
final class RunCleanup {
    private RunCleanup() {}

    /** Recovers the dead runs under {@code runtimeRoot}; returns how many could not be fully cleaned. */
    static int run(Path runtimeRoot, PrintWriter out) {
        List<RunRecovery.Outcome> outcomes = new RunRecovery(Duration.ofSeconds(5)).recoverAll(runtimeRoot);
        int failed = 0;
        for (RunRecovery.Outcome o : outcomes) {
            String run = o.runDir().getFileName().toString();
            if (o.ok()) {
                out.println("cleaned   run " + run + ": " + String.join("; ", o.actions()));
            } else {
                failed++;
                out.println("FAILED    run " + run + ": " + VirtualGhostCommand.oneLine(o.problem())
                        + (o.actions().isEmpty() ? "" : " (done: " + String.join("; ", o.actions()) + ")"));
            }
        }
        out.flush();
        return failed;
    }
}
