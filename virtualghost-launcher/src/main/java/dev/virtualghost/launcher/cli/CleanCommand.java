package dev.virtualghost.launcher.cli;

import dev.virtualghost.launcher.RuntimePaths;
import dev.virtualghost.launcher.VfioCleanup;
import dev.virtualghost.launcher.assets.AssetCache;
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
 * {@code vfio-pci} bindings: every device recorded in a restore journal of a dead run goes back to its original
 * driver ({@link VfioCleanup} does the work; this class only reads the command line and prints). Journals of live
 * runs are left alone. {@code clean --cache} instead empties the guest asset cache ({@link CacheCleaner}). Every
 * line printed is one sentence of printable characters.
 */
@Command(
        name = "clean",
        mixinStandardHelpOptions = true,
        description = {
            "Give devices left on vfio-pci by a crashed or killed run back to their original drivers.",
            "Reads the restore journals that binding wrote; a journal is deleted once its devices are restored and"
                    + " verified. Journals of runs still alive are left alone.",
            "With --cache: only empty the guest asset cache, listing what it removed.",
            "Exit code 0 when nothing is left to restore, 1 when a journal could not be replayed, 2 for a bad"
                    + " command line."
        })
final class CleanCommand implements Callable<Integer> {

    @Option(
            names = "--journal-dir",
            paramLabel = "DIR",
            description = "Directory of restore journals (default: the runtime directory's vfio/, e.g. "
                    + "/run/virtualghost/vfio for root; $VIRTUALGHOST_RUNTIME_DIR overrides).")
    Path journalDir;

    @Option(
            names = "--cache",
            description = "Instead: empty the guest asset cache ($XDG_CACHE_HOME/virtualghost,"
                    + " default ~/.cache/virtualghost); the next run without --kernel fetches the guest again.")
    boolean cache;

    @CommandLine.Mixin
    SysfsRootOption sys;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (cache) {
            if (journalDir != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--cache and --journal-dir exclude each"
                                + " other: --cache only empties the guest asset cache");
            }
            return CacheCleaner.clean(
                    AssetCache.builder()
                            .directory(AssetCache.defaultDirectory(System.getenv(), System.getProperty("user.home")))
                            .build(),
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
        Path dir = journalDirectory();
        PrintWriter out = spec.commandLine().getOut();
        // Runs whose owner died: their VMM is stopped before their devices are touched (issue 8 #5).
        int runsFailed = journalDir == null
                ? RunCleanup.run(RuntimePaths.fromEnvironment().root(), out)
                : 0;
        if (runsFailed > 0) {
            out.println(runsFailed + " run(s) kept; fix the cause above and run 'virtualghost clean' again.");
            out.flush();
            return ExitCodes.FAILED;
        }
        List<Path> pending = Files.isDirectory(dir) ? VfioBinder.pendingJournals(dir) : List.of();
        if (pending.isEmpty()) {
            out.println("Nothing to clean: no restore journals in " + printable(dir.toString()) + ".");
            out.flush();
            return ExitCodes.OK;
        }
        VfioBinder binder;
        try {
            binder = VfioBinder.builder()
                    .bus(PciBus.at(sys.root))
                    .journalDirectory(dir)
                    .build();
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("virtualghost: " + printable(e.getMessage()));
            return ExitCodes.FAILED;
        }
        List<VfioCleanup.Outcome> outcomes = new VfioCleanup(binder).restore(pending);
        for (VfioCleanup.Outcome o : outcomes) {
            String name = printable(o.journal().getFileName().toString());
            switch (o.status()) {
                case RESTORED ->
                    out.println("restored  "
                            + o.restored().stream().map(Object::toString).collect(Collectors.joining(", ")) + "  ("
                            + name + ")");
                case IN_USE -> out.println("in use    " + name + ": " + printable(o.message()));
                default -> out.println("FAILED    " + name + ": " + printable(o.message()));
            }
        }
        long failed = outcomes.stream()
                .filter(o -> o.status() == VfioCleanup.Status.FAILED)
                .count();
        long inUse = outcomes.stream()
                .filter(o -> o.status() == VfioCleanup.Status.IN_USE)
                .count();
        if (failed > 0) {
            out.println(failed + " journal(s) kept: fix the cause given above, then run 'virtualghost clean' again.");
        } else if (inUse > 0) {
            out.println("Every journal of a dead run is restored; " + inUse + " belong(s) to a run still alive and"
                    + " were left alone.");
        } else {
            out.println("All devices are back on their original drivers.");
        }
        out.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    // Only the default directory may be absent (no run ever bound a device); one the user names must be there.
    private Path journalDirectory() {
        if (journalDir == null) {
            return RuntimePaths.fromEnvironment().vfioJournals();
        }
        String given = journalDir.toString();
        String problem = given.isBlank()
                ? "is empty"
                : !Files.exists(journalDir)
                        ? "names " + printable(given) + ", which does not exist"
                        : !Files.isDirectory(journalDir)
                                ? "names " + printable(given) + ", which is not a directory"
                                : null;
        if (problem != null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--journal-dir " + problem
                            + ": give the directory the run wrote its restore journals to (default "
                            + printable(RuntimePaths.fromEnvironment()
                                    .vfioJournals()
                                    .toString()) + ")");
        }
        return journalDir;
    }

    /**
     * {@code s} on one line of printable characters: line breaks become "; ", any other control or non-ASCII
     * character {@code ?}, so names from sysfs or journals cannot break or forge the output.
     */
    static String printable(String s) {
        if (s == null) {
            return "(no detail)";
        }
        return printableChars(s.replaceAll("\\s*\\R\\s*", "; ").strip());
    }

    /** {@code line} (one line already) with every control or non-ASCII character replaced by {@code ?}. */
    static String printableChars(String line) {
        StringBuilder b = new StringBuilder(line.length());
        line.codePoints().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return b.toString();
    }
}
