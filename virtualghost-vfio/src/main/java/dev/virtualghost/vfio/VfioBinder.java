package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.vfio.internal.ClaimLock;
import dev.virtualghost.vfio.internal.Journal;
import dev.virtualghost.vfio.internal.LibC;
import dev.virtualghost.vfio.internal.SysfsErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a device's whole IOMMU group to vfio-pci and gives it back. Binding follows the kernel's documented
 * sequence (Documentation/ABI/testing/sysfs-bus-pci): write {@code vfio-pci} to {@code driver_override}, write the
 * address to the current driver's {@code unbind}, write it to {@code drivers_probe}, then wait (bounded) until the
 * {@code driver} link names vfio-pci. Each write runs on a daemon thread bounded by
 * {@link Builder#writeTimeout(Duration)}, since an {@code unbind} can block in the kernel while the device is in use.
 * Original drivers and overrides are journaled in the caller's directory before the first write, so
 * {@link #restoreFromJournal(Path)} can undo a crashed run; {@link #pendingJournals(Path)} finds what is left.
 *
 * <p>Claims: before the first sysfs write, a binding claims its IOMMU group and each of its devices (an
 * {@code flock}ed {@code <claims>/group<N>.lock} and {@code <claims>/<address>.lock} holding the pid, see
 * {@link Builder#claimDirectory(Path)}) and holds them until the devices are restored. A second binder, in this or
 * another process, is refused with a {@link VfioClaimException} naming the holder's pid, so it can never record the
 * first one's vfio-pci override as "original". The kernel drops the claim when its holder dies, which is how
 * {@link #restoreFromJournal(Path)} tells a crashed run's journal (claim free: replay it) from a live run's (claim
 * held: leave it alone).
 *
 * <p>A journal is deleted only after the restore it describes was verified by reading every device back; a device
 * that is absent (wrong sysfs root, hot-unplugged) fails the restore and keeps the journal.
 *
 * <p>Thread-safe; a group claimed twice is refused, not raced. The caller closes each {@link VfioBinding} it gets.
 */
public final class VfioBinder {
    private static final Logger LOG = LoggerFactory.getLogger(VfioBinder.class);
    private static final Path SYSTEM_SYS = Path.of("/sys");
    /** Where claims on the host's real devices live, whatever journal directory a run uses. */
    static final Path SYSTEM_CLAIMS = Path.of("/run/virtualghost/claims");

    private final PciBus bus;
    private final Path journalDir;
    private final boolean forceBootVga;
    private final boolean allowUnrelatedGroupMembers;
    private final DriverSteps steps;
    private final Path claimDir;

    private VfioBinder(Builder b) {
        this.bus = b.bus;
        this.journalDir = b.journalDir;
        this.claimDir = b.claimDir != null
                ? b.claimDir
                : isHostSysfs(b.bus.sysRoot()) ? SYSTEM_CLAIMS : b.journalDir.resolve("claims");
        this.forceBootVga = b.forceBootVga;
        this.allowUnrelatedGroupMembers = b.allowUnrelatedGroupMembers;
        this.steps = new DriverSteps(b.bus, b.writer, b.timeout, b.pollInterval, b.writeTimeout);
    }

    // Compared by real path: "/sys/../sys" or a link to /sys is still the host's bus and must share its claims.
    private static boolean isHostSysfs(Path root) {
        try {
            return root.toRealPath().equals(SYSTEM_SYS.toRealPath());
        } catch (IOException e) {
            return root.toAbsolutePath().normalize().equals(SYSTEM_SYS);
        }
    }

    /**
     * Returns a new builder; {@link Builder#journalDirectory(Path)} is required.
     *
     * @return a builder over the host's {@code /sys} with the default timeouts
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the GPU {@code device} and its IOMMU group to vfio-pci. Every non-bridge member is bound: functions of
     * the device's slot (its HDMI/DP audio, USB-C controller), members that are unbound or already on vfio-pci, and,
     * only when {@link Builder#allowUnrelatedGroupMembers(boolean)} says so, other members a host driver uses.
     * Members already on vfio-pci are left alone (and stay there on close). On any failure every device written to
     * so far is restored before throwing. Blocks for at most the write timeout plus the driver timeout per device.
     *
     * @param device the GPU's display function (any member of the group works the same way)
     * @return the binding; close it to give the devices back to their original drivers
     * @throws NullPointerException if {@code device} is null
     * @throws VfioDeviceException when the device is absent, has no group, the group holds a bridge bound to a
     *     driver other than pcieport or (unless allowed) a device outside the slot bound to a host driver, vfio-pci
     *     is not loaded, or the device is the boot VGA in use and not forced; nothing was written then
     * @throws VfioBindException   when a sysfs step fails or times out (after rollback; rollback errors suppressed);
     *     any other unchecked exception on the way (e.g. from the writer seam) is rethrown after the same rollback
     * @throws VfioClaimException  when another live binding (in this or another process) claims the group or one of
     *     its devices; nothing was written then
     * @throws VfioHostException   when sysfs cannot be read, or the claim or journal cannot be written
     */
    public VfioBinding bind(PciAddress device) {
        Objects.requireNonNull(device, "device == null");
        IommuGroup group = bus.groupOf(device);
        List<PciDevice> targets = group.devicesToBind();
        GroupPolicy.check(group, device, forceBootVga, allowUnrelatedGroupMembers);
        if (targets.stream().anyMatch(m -> !m.isOnVfio()) && !bus.hasDriver(PciDevice.VFIO_PCI)) {
            throw new VfioDeviceException("vfio: bind IOMMU group " + group.number() + " of " + device
                    + " to vfio-pci: the vfio-pci driver is not loaded (modprobe vfio-pci)");
        }
        ClaimLock claim = claim(
                group.number(),
                targets.stream().map(PciDevice::address).toList(),
                "bind IOMMU group " + group.number() + " of " + device);
        try {
            return bindClaimed(group, claim);
        } catch (RuntimeException e) {
            claim.close();
            throw e;
        }
    }

    private VfioBinding bindClaimed(IommuGroup group, ClaimLock claim) {
        // Read again under the claim: what was read before it may have been another binder's work in progress.
        List<Journal.Entry> originals = bus.group(group.number()).devicesToBind().stream()
                .map(m -> new Journal.Entry(m.address(), m.driver(), m.driverOverride()))
                .toList();
        Path journal;
        try {
            journal = Journal.create(journalDir, group.number(), originals);
        } catch (IOException e) {
            throw new VfioHostException(
                    "vfio: write restore journal in " + journalDir + ": " + SysfsErrors.reason(e)
                            + " (give a writable, private journal directory)",
                    e);
        }
        // Only devices a write reached (or may still reach) are rolled back: rolling back an untouched device would
        // repeat the failure that stopped us (e.g. EACCES when not root) and strand the journal.
        List<Journal.Entry> touched = new ArrayList<>();
        try {
            for (Journal.Entry e : originals) {
                if (PciDevice.VFIO_PCI.equals(e.driver())) {
                    LOG.debug("{} already on vfio-pci, leaving it", e.address());
                    continue;
                }
                steps.bind(e, () -> {
                    if (!touched.contains(e)) {
                        touched.add(e);
                    }
                });
            }
        } catch (RuntimeException failure) {
            throw rollBack(failure, touched, group.number(), journal);
        }
        LOG.info(
                "IOMMU group {} bound to vfio-pci: {}",
                group.number(),
                originals.stream().map(e -> e.address().toString()).toList());
        return new VfioBinding(this, group.number(), originals, journal, claim);
    }

    private ClaimLock claim(int group, List<PciAddress> devices, String action) {
        List<String> names = new ArrayList<>();
        names.add("group" + group);
        devices.stream().map(PciAddress::toString).sorted().forEach(names::add);
        try {
            return ClaimLock.acquire(claimDir, names);
        } catch (ClaimLock.Busy busy) {
            String who = busy.pid().isPresent()
                    ? "pid " + busy.pid().getAsLong()
                    : "a process that has not" + " written its pid yet";
            throw new VfioClaimException(
                    "vfio: " + action + ": " + busy.name() + " is claimed by a live run ("
                            + who + ", lock " + busy.file() + "); wait for that run to end, or stop it and run"
                            + " 'virtualghost clean'",
                    busy.pid());
        } catch (IOException e) {
            throw new VfioHostException(
                    "vfio: " + action + ": claim the devices in " + claimDir + ": " + SysfsErrors.reason(e)
                            + " (run as root, or give a private claim directory)",
                    e);
        }
    }

    /**
     * Returns where this binder's claim lock files live (see {@link Builder#claimDirectory(Path)}).
     *
     * @return the configured directory, or the default chosen for the bus's sysfs root
     */
    public Path claimDirectory() {
        return claimDir;
    }

    private RuntimeException rollBack(RuntimeException failure, List<Journal.Entry> touched, int group, Path journal) {
        boolean clean = true;
        for (int i = touched.size() - 1; i >= 0; i--) {
            try {
                steps.restore(touched.get(i));
            } catch (RuntimeException ex) {
                failure.addSuppressed(ex);
                clean = false;
            }
        }
        if (clean) {
            deleteQuietly(journal);
            return failure;
        }
        String later = "rollback incomplete, restore later with VfioBinder.restoreFromJournal(" + journal + ")";
        if (!(failure instanceof VfioBindException f)) {
            failure.addSuppressed(new VfioHostException("vfio: bind IOMMU group " + group + ": " + later, null));
            return failure;
        }
        VfioBindException incomplete =
                new VfioBindException(f.device(), f.step(), f.getMessage() + "; " + later, f.getCause());
        for (Throwable t : f.getSuppressed()) {
            incomplete.addSuppressed(t);
        }
        return incomplete;
    }

    /**
     * The restore journals in {@code dir}, ordered by name, for {@link #restoreFromJournal(Path)}: those of runs that
     * did not close their binding (crash, kill -9) and those of runs still binding (whose claims make
     * {@code restoreFromJournal} leave them alone). Symbolic links named like journals are listed too, so that
     * restoring refuses them out loud. Temp files of an interrupted journal write are not listed.
     *
     * @param dir a journal directory, as given to {@link Builder#journalDirectory(Path)}
     * @return the journals; empty when there are none or {@code dir} does not exist
     * @throws NullPointerException if {@code dir} is null
     * @throws VfioHostException when {@code dir} cannot be listed
     */
    public static List<Path> pendingJournals(Path dir) {
        Objects.requireNonNull(dir, "dir == null");
        try {
            return Journal.list(dir);
        } catch (IOException e) {
            throw new VfioHostException(
                    "vfio: list restore journals in " + dir + ": " + SysfsErrors.reason(e)
                            + " (run as the user that bound the devices)",
                    e);
        }
    }

    /**
     * Restores every device recorded in {@code journal} (left by a crashed run) to its original driver and
     * override, verifies each by reading it back, then deletes the journal. Devices already in their original state
     * are not written to. A journal whose group or devices are claimed by a live binding is left alone.
     *
     * @param journal a journal file, e.g. one of {@link #pendingJournals(Path)}
     * @return the devices recorded in the journal
     * @throws VfioClaimException when a live run (or a binding in this process) still holds the journal's devices;
     *     nothing was written
     * @throws VfioHostException when the journal cannot be read, is malformed, or is not private to this user (its
     *     content drives root-privileged writes, so another user must not be able to plant or edit it)
     * @throws VfioBindException when a device cannot be restored or verified, or is absent (others still are
     *     restored; errors suppressed); the journal is kept
     */
    public List<PciAddress> restoreFromJournal(Path journal) {
        Journal.Contents contents;
        try {
            // A link could point anywhere, e.g. at a file another user can swap: only the file itself is trusted.
            Optional<String> untrusted = Files.isSymbolicLink(journal)
                    ? Optional.of("is a symbolic link")
                    : Journal.untrusted(journal, LibC.INSTANCE.geteuid());
            if (untrusted.isPresent()) {
                throw new VfioHostException(
                        "vfio: read restore journal " + journal + ": it " + untrusted.get()
                                + ", refusing to replay it (check who wrote it; if it is yours, "
                                + (Files.isSymbolicLink(journal)
                                        ? "replace it by the file it points to"
                                        : "chown it to you and chmod 600 it")
                                + ")",
                        null);
            }
            contents = Journal.read(journal);
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof IOException io ? SysfsErrors.reason(io) : e.getMessage();
            throw new VfioHostException(
                    "vfio: read restore journal " + journal + ": " + why
                            + " (pass a vfio-binding-*.properties file written by VfioBinder, or move this one away)",
                    e);
        }
        List<PciAddress> devices =
                contents.entries().stream().map(Journal.Entry::address).toList();
        try (ClaimLock claim = claim(contents.group(), devices, "replay restore journal " + journal)) {
            restoreOrThrow(contents.entries(), journal);
        }
        return devices;
    }

    void restoreOrThrow(List<Journal.Entry> entries, Path journal) {
        RuntimeException first = null;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Journal.Entry e = entries.get(i);
            if (PciDevice.VFIO_PCI.equals(e.driver())) {
                continue;
            }
            try {
                steps.restore(e);
                steps.verify(e);
            } catch (RuntimeException ex) {
                if (first == null) {
                    first = ex;
                } else {
                    first.addSuppressed(ex);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        deleteQuietly(journal);
    }

    private static void deleteQuietly(Path journal) {
        try {
            Files.deleteIfExists(journal);
        } catch (IOException e) {
            LOG.warn("could not delete restore journal {}: {}", journal, SysfsErrors.reason(e));
        }
    }

    /** Configures a {@link VfioBinder}. Not thread-safe. */
    public static final class Builder {
        private PciBus bus = PciBus.system();
        private SysfsWriter writer = SysfsWriter.direct();
        private Path journalDir;
        private Path claimDir;
        private Duration timeout = Duration.ofSeconds(10);
        private Duration pollInterval = Duration.ofMillis(20);
        private Duration writeTimeout = Duration.ofSeconds(10);
        private boolean forceBootVga;
        private boolean allowUnrelatedGroupMembers;

        private Builder() {}

        /**
         * Sets the bus to read; default {@link PciBus#system()}.
         *
         * @param bus the bus whose devices are bound, e.g. {@code PciBus.at(testTree)}
         * @return this builder
         * @throws NullPointerException if {@code bus} is null
         */
        public Builder bus(PciBus bus) {
            this.bus = Objects.requireNonNull(bus, "bus == null");
            return this;
        }

        /**
         * Sets the sysfs write seam; default {@link SysfsWriter#direct()}.
         *
         * @param writer performs every sysfs write; must be thread-safe
         * @return this builder
         * @throws NullPointerException if {@code writer} is null
         */
        public Builder writer(SysfsWriter writer) {
            this.writer = Objects.requireNonNull(writer, "writer == null");
            return this;
        }

        /**
         * Sets the existing private directory (owned by this user, not group/other-writable) for restore journals.
         * Required; checked by {@link #build()}.
         *
         * @param dir the journal directory, e.g. the launcher's 0700 runtime directory
         * @return this builder
         * @throws NullPointerException if {@code dir} is null
         */
        public Builder journalDirectory(Path dir) {
            this.journalDir = Objects.requireNonNull(dir, "dir == null");
            return this;
        }

        /**
         * Private directory (created 0700 when absent) for the claim lock files. Default: {@code
         * /run/virtualghost/claims} for the host's {@code /sys}, so every run on the host sees every other run's
         * claims whatever its journal directory; {@code <journal directory>/claims} for any other sysfs tree.
         *
         * @param dir the claim directory; every binder that may touch the same devices must use the same one
         * @return this builder
         * @throws NullPointerException if {@code dir} is null
         */
        public Builder claimDirectory(Path dir) {
            this.claimDir = Objects.requireNonNull(dir, "dir == null");
            return this;
        }

        /**
         * Sets how long to wait for each device's {@code driver} link to change after a write; default 10 s.
         *
         * @param timeout the wait per device, positive
         * @return this builder
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets how often to re-read the driver link while waiting; default 20 ms.
         *
         * @param interval the pause between reads, positive
         * @return this builder
         * @throws NullPointerException if {@code interval} is null
         * @throws IllegalArgumentException if {@code interval} is zero or negative
         */
        public Builder pollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("poll interval must be positive: " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /**
         * How long one sysfs write may block before it is abandoned (on a daemon thread) and reported; default
         * 10 s. An unbind from vfio-pci blocks for as long as a VM holds the device; an unbind from a GPU driver
         * may legitimately take a few seconds.
         *
         * @param timeout the limit per write, positive
         * @return this builder
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder writeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("write timeout must be positive: " + timeout);
            }
            this.writeTimeout = timeout;
            return this;
        }

        /**
         * Allow binding IOMMU group members outside the GPU's slot that a host driver uses (an NVMe disk, a NIC
         * sharing the group): the host loses them while bound. Default false: such a group is refused.
         *
         * @param allow true to bind such members too
         * @return this builder
         */
        public Builder allowUnrelatedGroupMembers(boolean allow) {
            this.allowUnrelatedGroupMembers = allow;
            return this;
        }

        /**
         * Allows taking the boot VGA device from its host driver (the host console goes dark). Default false: a
         * boot VGA device in use is refused.
         *
         * @param force true to bind the boot VGA device anyway
         * @return this builder
         */
        public Builder forceBootVga(boolean force) {
            this.forceBootVga = force;
            return this;
        }

        /**
         * Builds the binder; nothing is read or written until {@link VfioBinder#bind(PciAddress)}.
         *
         * @return a new binder; it holds no resources, only the {@link VfioBinding}s it returns must be closed
         * @throws IllegalStateException when no journal directory was given, it is not a directory, or it is not
         *     owned by this user or is writable by group or others
         */
        public VfioBinder build() {
            if (journalDir == null || !Files.isDirectory(journalDir)) {
                throw new IllegalStateException("journalDirectory must be an existing directory: " + journalDir);
            }
            // Journals drive root-privileged sysfs writes on restore: others must not be able to plant one, neither
            // by writing into the directory nor by owning it (an owner can chmod it at will).
            Optional<String> untrusted;
            try {
                untrusted = Journal.untrusted(journalDir, LibC.INSTANCE.geteuid());
            } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
                throw new IllegalStateException(
                        "cannot read owner and permissions of journalDirectory " + journalDir
                                + " (use a directory on a POSIX file system)",
                        e);
            }
            if (untrusted.isPresent()) {
                throw new IllegalStateException("journalDirectory " + journalDir + " " + untrusted.get()
                        + "; use a private directory you own (mode 0700)");
            }
            return new VfioBinder(this);
        }
    }
}
