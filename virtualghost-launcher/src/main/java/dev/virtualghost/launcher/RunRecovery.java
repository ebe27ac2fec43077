package dev.virtualghost.launcher;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.launcher.internal.PrivateDirs;
import dev.virtualghost.launcher.internal.ProcStat;
import dev.virtualghost.vfio.PciBus;
import dev.virtualghost.vfio.SysfsWriter;
import dev.virtualghost.vfio.VfioBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays the {@link RunJournal}s of runs whose owner died ({@code kill -9}, a crash, {@code System.exit} without
 * close), in the only safe order: first stop the run's VMM (only if its pid still has the journaled start time,
 * so a recycled pid is never signalled), then give the devices back to their original drivers from the run's
 * {@code vfio-pci} restore journal, then remove the run's files. A run whose owner lives is never touched. A step
 * that fails keeps the run directory (and its journal) for the next attempt.
 *
 * <p>Holds only immutable configuration; {@code clean} runs recoveries one at a time.
 */
public final class RunRecovery {
    private final Duration stopGrace;
    private final SysfsWriter writer;

    /**
     * Recovery that gives a VMM {@code stopGrace} after SIGTERM before SIGKILL and writes sysfs for real.
     *
     * @param stopGrace how long a VMM gets after SIGTERM before SIGKILL
     */
    public RunRecovery(Duration stopGrace) {
        this(stopGrace, null);
    }

    /**
     * The same with a sysfs writer seam (a fake kernel in tests); null for real writes.
     *
     * @param stopGrace how long a VMM gets after SIGTERM before SIGKILL
     * @param writer writes sysfs attributes, or null for real writes
     */
    public RunRecovery(Duration stopGrace, SysfsWriter writer) {
        this.stopGrace = stopGrace;
        this.writer = writer;
    }

    /**
     * What happened to one run.
     *
     * @param runDir the run's directory
     * @param ok true when the run was fully cleaned and its directory removed
     * @param actions what was done, in order, e.g. "stopped VMM pid 1234"
     * @param problem why not, when {@code ok} is false
     */
    public record Outcome(Path runDir, boolean ok, List<String> actions, String problem) {}

    /**
     * Recovers every run under {@code runtimeRoot} whose owner is dead; live runs are skipped.
     *
     * @param runtimeRoot the runtime root ({@link RuntimePaths#root()})
     * @return one outcome per orphaned run, in name order
     */
    public List<Outcome> recoverAll(Path runtimeRoot) {
        List<Outcome> out = new ArrayList<>();
        for (Path run : RunJournal.orphanedRuns(runtimeRoot)) {
            out.add(recover(run));
        }
        return out;
    }

    /**
     * Recovers one run whose owner is dead.
     *
     * @param runDir the run directory of a dead run
     * @return what the recovery did
     */
    public Outcome recover(Path runDir) {
        List<String> actions = new ArrayList<>();
        if (RunJournal.ownerAlive(runDir)) {
            return new Outcome(runDir, false, actions, "its owner is still running; stop that run first");
        }
        Map<String, String> j;
        try {
            j = RunJournal.read(runDir);
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome(runDir, false, actions, "unreadable journal: " + e.getMessage());
        }
        try {
            stopVmm(j, actions);
            restoreDevices(j, actions);
            PrivateDirs.deleteRecursively(runDir);
            actions.add("removed " + runDir);
            return new Outcome(runDir, true, actions, null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(runDir, false, actions, e.getMessage());
        }
    }

    private void stopVmm(Map<String, String> j, List<String> actions) {
        String pidText = j.get(RunJournal.VMM_PID);
        String startText = j.get(RunJournal.VMM_START);
        if (pidText == null || startText == null) {
            return;
        }
        long pid = Long.parseLong(pidText);
        long start = Long.parseLong(startText);
        if (!ProcStat.isSameProcess(pid, start) || ProcStat.isZombie(pid)) {
            return;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return;
        }
        h.get().destroy();
        if (!waitGone(pid, start, stopGrace)) {
            if (ProcStat.isSameProcess(pid, start)) {
                h.get().destroyForcibly();
            }
            if (!waitGone(pid, start, Duration.ofSeconds(5))) {
                throw new IllegalStateException(
                        "the VMM (pid " + pid + ") survived SIGKILL; devices left as they " + "are");
            }
        }
        actions.add("stopped VMM pid " + pid);
    }

    private static boolean waitGone(long pid, long start, Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (ProcStat.isSameProcess(pid, start) && !ProcStat.isZombie(pid)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void restoreDevices(Map<String, String> j, List<String> actions) throws IOException {
        String journal = j.get(RunJournal.VFIO_JOURNAL);
        String dir = j.get(RunJournal.VFIO_JOURNAL_DIR);
        String sys = j.getOrDefault(RunJournal.SYS_ROOT, "/sys");
        if (dir == null) {
            return;
        }
        Path journalDir = Path.of(dir);
        List<Path> journals = new ArrayList<>();
        if (journal != null) {
            journals.add(Path.of(journal));
        }
        for (Path p : journals) {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                continue; // restored (and removed) by the owner before it died
            }
            VfioBinder.Builder b =
                    VfioBinder.builder().bus(PciBus.at(Path.of(sys))).journalDirectory(journalDir);
            if (writer != null) {
                b.writer(writer);
            }
            VfioBinder binder = b.build();
            List<PciAddress> restored = binder.restoreFromJournal(p);
            actions.add("restored " + restored);
        }
    }
}
