package dev.virtualghost.launcher;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.api.VirtualGhostException;
import dev.virtualghost.vfio.VfioBinder;
import dev.virtualghost.vfio.VfioClaimException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Replays the restore journals that crashed or killed runs left in a directory, giving their devices back to their
 * original drivers, and reports one {@link Outcome} per journal. A journal whose devices a live run still claims is
 * left alone ({@link Status#IN_USE}): only journals whose owner is dead are replayed. Journals that restore and
 * verify cleanly are deleted by the binder; the others stay for another attempt. The CLI's {@code clean} is one
 * user; a launcher that recovers before a run is another.
 *
 * <p>Not thread-safe; one cleanup at a time per directory (the binder's claims keep two from touching one device).
 */
public final class VfioCleanup {

    /** What became of one journal. */
    public enum Status {
        /** Every device is back on its original driver (verified); the journal is gone. */
        RESTORED,
        /** A live run still claims the devices; nothing was touched and the journal stays. */
        IN_USE,
        /** The journal could not be replayed (see the message); it stays. */
        FAILED
    }

    /**
     * What happened to one journal.
     *
     * @param journal the journal file
     * @param status  what became of it
     * @param devices the devices restored (empty unless {@link Status#RESTORED})
     * @param message one line saying what is wrong and what to do, or null when restored
     */
    public record Outcome(Path journal, Status status, List<PciAddress> devices, String message) {
        /**
         * Copies the list.
         *
         * @param journal the journal file
         * @param status what became of it
         * @param devices the devices restored (empty unless {@link Status#RESTORED})
         * @param message one line saying what is wrong and what to do, or null when restored
         */
        public Outcome {
            Objects.requireNonNull(journal, "journal == null");
            Objects.requireNonNull(status, "status == null");
            devices = List.copyOf(devices);
        }

        /**
         * Whether nothing is left for a cleanup to do with this journal: restored, or its run is alive.
         *
         * @return true unless the status is {@link Status#FAILED}
         */
        public boolean ok() {
            return status != Status.FAILED;
        }

        /**
         * The devices restored; empty unless {@link Status#RESTORED}.
         *
         * @return the restored devices
         */
        public List<PciAddress> restored() {
            return devices;
        }

        /**
         * The failure, or null unless {@link Status#FAILED}.
         *
         * @return the message of a failure, or null
         */
        public String error() {
            return status == Status.FAILED ? message : null;
        }
    }

    private final VfioBinder binder;

    /**
     * A cleanup that restores through {@code binder} (its sysfs seam, claim directory and timeouts).
     *
     * @param binder the binder that replays the journals
     */
    public VfioCleanup(VfioBinder binder) {
        this.binder = Objects.requireNonNull(binder, "binder == null");
    }

    /**
     * Restores every pending journal in {@code dir}; an absent directory has none.
     *
     * @param dir the journal directory ({@link RuntimePaths#vfioJournals()})
     * @return one outcome per journal
     */
    public List<Outcome> run(Path dir) {
        return restore(VfioBinder.pendingJournals(dir));
    }

    /**
     * Restores each of {@code journals}, as listed by {@link VfioBinder#pendingJournals(Path)}.
     *
     * @param journals the journal files
     * @return one outcome per journal, in the same order
     */
    public List<Outcome> restore(List<Path> journals) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Path journal : journals) {
            try {
                outcomes.add(new Outcome(journal, Status.RESTORED, binder.restoreFromJournal(journal), null));
            } catch (VfioClaimException e) {
                outcomes.add(new Outcome(journal, Status.IN_USE, List.of(), e.getMessage()));
            } catch (VirtualGhostException e) {
                outcomes.add(new Outcome(journal, Status.FAILED, List.of(), e.getMessage()));
            }
        }
        return outcomes;
    }
}
