package dev.virtualghost.launcher;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.api.VirtualGhostException;
import dev.virtualghost.vfio.VfioBinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays every restore journal a crashed run left in a directory, giving its devices back to their original
 * drivers, and reports one outcome per journal. Journals that restore cleanly are deleted by the binder; the
 * others stay for another attempt.
 *
 * <p>Not thread-safe; one cleanup at a time per directory.
 */
public final class VfioCleanup {

    /** What happened to one journal. */
    public record Outcome(Path journal, List<PciAddress> restored, String error) {
        /** Whether every device of the journal is back on its original driver. */
        public boolean ok() {
            return error == null;
        }
    }

    private final VfioBinder binder;

    /** A cleanup that restores through {@code binder} (its sysfs seam and timeouts). */
    public VfioCleanup(VfioBinder binder) {
        this.binder = binder;
    }

    /** Restores every pending journal in {@code dir}; an absent directory has none. */
    public List<Outcome> run(Path dir) {
        return restore(VfioBinder.pendingJournals(dir));
    }

    /** Restores each of {@code journals}, as listed by {@link VfioBinder#pendingJournals(Path)}. */
    public List<Outcome> restore(List<Path> journals) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Path journal : journals) {
            try {
                outcomes.add(new Outcome(journal, binder.restoreFromJournal(journal), null));
            } catch (VirtualGhostException e) {
                outcomes.add(new Outcome(journal, List.of(), e.getMessage()));
            }
        }
        return outcomes;
    }
}
