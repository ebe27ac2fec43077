package dev.virtualghost.launcher.cli;

import dev.virtualghost.launcher.RuntimePaths;
import dev.virtualghost.launcher.VfioCleanup;
import dev.virtualghost.vfio.PciBus;
import dev.virtualghost.vfio.VfioBinder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code virtualghost clean}: undoes what a run killed before its own cleanup left behind, today the
 * {@code vfio-pci} bindings: every device recorded in a restore journal goes back to its original driver.
 */
@Command(name = "clean",
        mixinStandardHelpOptions = true,
        description = {"Give devices left on vfio-pci by a crashed or killed run back to their original drivers.",
            "Reads the restore journals that binding wrote; a journal is deleted once its devices are restored.",
            "Exit code 0 when nothing is left to restore, 1 otherwise."})
final class CleanCommand implements Callable<Integer> {

    @Option(names = "--journal-dir", paramLabel = "DIR",
            description = "Directory of restore journals (default: the runtime directory's vfio/, e.g. "
                    + "/run/virtualghost/vfio for root; $VIRTUALGHOST_RUNTIME_DIR overrides).")
    Path journalDir;

    @CommandLine.Mixin
    SysfsRootOption sys;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = journalDir != null ? journalDir : RuntimePaths.fromEnvironment().vfioJournals();
        PrintWriter out = spec.commandLine().getOut();
        // Runs whose owner died: their VMM is stopped before their devices are touched (issue 8 #5).
        int runsFailed = journalDir == null ? RunCleanup.run(RuntimePaths.fromEnvironment().root(), out) : 0;
        if (runsFailed > 0) {
            out.println(runsFailed + " run(s) kept; fix the cause above and run 'virtualghost clean' again.");
            out.flush();
            return ExitCodes.FAILED;
        }
        List<Path> pending = Files.isDirectory(dir) ? VfioBinder.pendingJournals(dir) : List.of();
        if (pending.isEmpty()) {
            out.println("Nothing to clean: no restore journals in " + dir + ".");
            out.flush();
            return ExitCodes.OK;
        }
        VfioBinder binder;
        try {
            binder = VfioBinder.builder().bus(PciBus.at(sys.root)).journalDirectory(dir).build();
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("virtualghost: " + VirtualGhostCommand.oneLine(e.getMessage()));
            return ExitCodes.FAILED;
        }
        List<VfioCleanup.Outcome> outcomes = new VfioCleanup(binder).restore(pending);
        for (VfioCleanup.Outcome o : outcomes) {
            if (o.ok()) {
                out.println("restored  " + o.restored().stream().map(Object::toString)
                        .collect(Collectors.joining(", ")) + "  (" + o.journal().getFileName() + ")");
            } else {
                out.println("FAILED    " + o.journal().getFileName() + ": " + VirtualGhostCommand.oneLine(o.error()));
            }
        }
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        out.println(failed == 0 ? "All devices are back on their original drivers."
                : failed + " journal(s) kept; fix the cause above and run 'virtualghost clean' again.");
        out.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
