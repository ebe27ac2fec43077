package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.vfio.internal.ClaimLock;
import dev.virtualghost.vfio.internal.Journal;
import java.nio.file.Path;
import java.util.List;

/**
 * An IOMMU group handed to vfio-pci. {@link #close()} gives each device back to its original driver and restores
 * its {@code driver_override} exactly, verifies them, deletes the journal and releases the group's claim; devices
 * that were already on vfio-pci stay there.
 * Thread-safe; close is idempotent. The caller that got it from {@link VfioBinder#bind} closes it.
 */
public final class VfioBinding implements AutoCloseable {
    private final VfioBinder binder;
    private final int group;
    private final List<Journal.Entry> originals;
    private final Path journal;
    private final ClaimLock claim;
    private boolean closed;

    VfioBinding(VfioBinder binder, int group, List<Journal.Entry> originals, Path journal, ClaimLock claim) {
        this.claim = claim;
        this.binder = binder;
        this.group = group;
        this.originals = List.copyOf(originals);
        this.journal = journal;
    }

    /** The IOMMU group number. */
    public int group() {
        return group;
    }

    /** Every device now on vfio-pci through this binding, for the VM's device list. */
    public List<PciAddress> devices() {
        return originals.stream().map(Journal.Entry::address).toList();
    }

    /** The restore journal; deleted after a clean close. */
    public Path journal() {
        return journal;
    }

    /**
     * What the kernel does to this binding's claim when its process dies (SIGKILL, a crash): the claim goes, the
     * devices stay on vfio-pci and the journal stays. For tests of recovery that cannot kill their own JVM; the
     * binding is closed afterwards and restores nothing.
     */
    synchronized void simulateOwnerDeath() {
        closed = true;
        claim.abandon();
    }

    /**
     * Restores the original drivers and overrides.
     *
     * @throws VfioBindException when a device cannot be restored, e.g. a write to {@code unbind} did not return in
     *     time because a VM still holds the device (the others still are restored; errors suppressed); the journal
     *     is kept for {@link VfioBinder#restoreFromJournal(Path)}. An unchecked exception of the writer seam is
     *     rethrown the same way.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            binder.restoreOrThrow(originals, journal);
        } finally {
            // Released even when the restore failed: the journal stays, and a later clean must be able to replay it.
            claim.close();
        }
    }
}
