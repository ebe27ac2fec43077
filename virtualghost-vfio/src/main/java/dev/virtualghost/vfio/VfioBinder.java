package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.vfio.internal.Journal;
import dev.virtualghost.vfio.internal.SysfsErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
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
 * {@code driver} link names vfio-pci. Original drivers and overrides are journaled in the caller's directory before
 * the first write, so {@link #restoreFromJournal(Path)} can undo a crashed run.
 *
 * <p>Thread-safe for distinct groups; binding the same group from two threads at once is the caller's error.
 * The caller closes each {@link VfioBinding} it gets.
 */
public final class VfioBinder {
    private static final Logger LOG = LoggerFactory.getLogger(VfioBinder.class);

    private final PciBus bus;
    private final SysfsWriter writer;
    private final Path journalDir;
    private final Duration timeout;
    private final Duration pollInterval;
    private final boolean forceBootVga;

    private VfioBinder(Builder b) {
        this.bus = b.bus;
        this.writer = b.writer;
        this.journalDir = b.journalDir;
        this.timeout = b.timeout;
        this.pollInterval = b.pollInterval;
        this.forceBootVga = b.forceBootVga;
    }

    /** A builder; a journal directory is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds every non-bridge member of {@code device}'s IOMMU group to vfio-pci. Members already on vfio-pci are
     * left alone (and stay there on close). On a failure every device touched so far is restored before throwing.
     *
     * @return the binding; close it to give the devices back to their original drivers
     * @throws VfioDeviceException when the device is absent, has no group, the group holds a bridge bound to a
     *     driver other than pcieport, vfio-pci is not loaded, or the device is the boot VGA in use and not forced
     * @throws VfioBindException   when a sysfs step fails or times out (after rollback; rollback errors suppressed)
     * @throws VfioHostException   when the journal cannot be written
     */
    public VfioBinding bind(PciAddress device) {
        Objects.requireNonNull(device, "device == null");
        IommuGroup group = bus.groupOf(device);
        List<PciDevice> targets = group.devicesToBind();
        for (PciDevice m : group.members()) {
            if (m.isBridge() && IommuGroup.blocks(m)) {
                throw new VfioDeviceException("vfio: bind IOMMU group " + group.number() + " of " + device
                        + ": bridge " + m.label() + " is bound to " + m.driver()
                        + " (a bridge may only have no driver or pcieport; unbind it or use ACS-capable slot)");
            }
        }
        for (PciDevice m : targets) {
            if (m.bootVga() && m.driver() != null && !m.isOnVfio() && !forceBootVga) {
                throw new VfioDeviceException("vfio: bind " + m.label() + " to vfio-pci: it is the boot VGA device"
                        + " driven by " + m.driver() + " (the host console would go dark; use another GPU, or"
                        + " force with VfioBinder.Builder.forceBootVga(true))");
            }
        }
        if (targets.stream().anyMatch(m -> !m.isOnVfio()) && !bus.hasDriver(PciDevice.VFIO_PCI)) {
            throw new VfioDeviceException("vfio: bind IOMMU group " + group.number() + " of " + device
                    + " to vfio-pci: the vfio-pci driver is not loaded (modprobe vfio-pci)");
        }
        List<Journal.Entry> originals = targets.stream()
                .map(m -> new Journal.Entry(m.address(), m.driver(), m.driverOverride())).toList();
        Path journal;
        try {
            journal = Journal.create(journalDir, group.number(), originals);
        } catch (IOException e) {
            throw new VfioHostException("vfio: write restore journal in " + journalDir + ": "
                    + SysfsErrors.reason(e) + " (give a writable, private journal directory)", e);
        }
        List<Journal.Entry> touched = new ArrayList<>();
        try {
            for (Journal.Entry e : originals) {
                if (PciDevice.VFIO_PCI.equals(e.driver())) {
                    LOG.debug("{} already on vfio-pci, leaving it", e.address());
                    continue;
                }
                touched.add(e);
                bindOne(e);
            }
        } catch (VfioBindException failure) {
            boolean clean = restoreAll(touched, failure);
            if (clean) {
                deleteQuietly(journal);
            }
            if (clean) {
                throw failure;
            }
            VfioBindException incomplete = new VfioBindException(failure.device(), failure.step(),
                    failure.getMessage() + "; rollback incomplete, restore later with"
                    + " VfioBinder.restoreFromJournal(" + journal + ")", failure.getCause());
            for (Throwable t : failure.getSuppressed()) {
                incomplete.addSuppressed(t);
            }
            throw incomplete;
        }
        LOG.info("IOMMU group {} bound to vfio-pci: {}", group.number(),
                originals.stream().map(e -> e.address().toString()).toList());
        return new VfioBinding(this, group.number(), originals, journal);
    }

    /**
     * Restores every device recorded in {@code journal} (left by a crashed run) to its original driver and
     * override, then deletes the journal.
     *
     * @return the devices recorded in the journal
     * @throws VfioHostException when the journal cannot be read or is malformed
     * @throws VfioBindException when a device cannot be restored (others still are; errors suppressed), journal kept
     */
    public List<PciAddress> restoreFromJournal(Path journal) {
        List<Journal.Entry> entries;
        try {
            entries = Journal.read(journal);
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof IOException io ? SysfsErrors.reason(io) : e.getMessage();
            throw new VfioHostException("vfio: read restore journal " + journal + ": " + why
                    + " (pass a vfio-binding-*.properties file written by VfioBinder)", e);
        }
        restoreOrThrow(entries, journal);
        return entries.stream().map(Journal.Entry::address).toList();
    }

    void restoreOrThrow(List<Journal.Entry> entries, Path journal) {
        VfioBindException first = null;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Journal.Entry e = entries.get(i);
            if (PciDevice.VFIO_PCI.equals(e.driver())) {
                continue;
            }
            try {
                restoreOne(e);
            } catch (VfioBindException ex) {
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

    private boolean restoreAll(List<Journal.Entry> touched, VfioBindException failure) {
        boolean clean = true;
        for (int i = touched.size() - 1; i >= 0; i--) {
            try {
                restoreOne(touched.get(i));
            } catch (VfioBindException ex) {
                failure.addSuppressed(ex);
                clean = false;
            }
        }
        return clean;
    }

    private void bindOne(Journal.Entry e) {
        PciAddress a = e.address();
        String action = "bind " + a + " to vfio-pci";
        Path dev = bus.devicePath(a);
        write(a, action, dev.resolve("driver_override"), PciDevice.VFIO_PCI);
        Optional<String> current = currentDriver(a, action);
        if (current.isPresent() && !current.get().equals(PciDevice.VFIO_PCI)) {
            write(a, action, bus.driverPath(current.get()).resolve("unbind"), a.toString());
        }
        if (!currentDriver(a, action).filter(PciDevice.VFIO_PCI::equals).isPresent()) {
            write(a, action, bus.sysRoot().resolve("bus/pci/drivers_probe"), a.toString());
        }
        awaitDriver(a, action, PciDevice.VFIO_PCI);
    }

    private void restoreOne(Journal.Entry e) {
        PciAddress a = e.address();
        String original = e.driver();
        String action = "restore " + a + " to " + (original == null ? "no driver" : original);
        Path dev = bus.devicePath(a);
        if (!Files.isDirectory(dev)) {
            // A removed device takes its driver_override with it; when it comes back the kernel probes it afresh.
            LOG.warn("{} vanished before it could be restored to {}; nothing left to restore", a, original);
            return;
        }
        // "\n" clears driver_override (sysfs-bus-pci); the original value goes back verbatim otherwise.
        write(a, action, dev.resolve("driver_override"), e.override() == null ? "\n" : e.override());
        Optional<String> current = currentDriver(a, action);
        if (current.isPresent() && !current.get().equals(original)) {
            write(a, action, bus.driverPath(current.get()).resolve("unbind"), a.toString());
        }
        if (original == null) {
            awaitDriver(a, action, null);
            return;
        }
        if (currentDriver(a, action).filter(original::equals).isPresent()) {
            return;
        }
        write(a, action, bus.sysRoot().resolve("bus/pci/drivers_probe"), a.toString());
        if (!waitFor(a, action, original, timeout.dividedBy(2))) {
            // drivers_probe may pick another matching driver; bind the original one explicitly.
            Optional<String> other = currentDriver(a, action);
            if (other.isPresent() && !other.get().equals(original)) {
                write(a, action, bus.driverPath(other.get()).resolve("unbind"), a.toString());
            }
            if (currentDriver(a, action).isEmpty()) {
                write(a, action, bus.driverPath(original).resolve("bind"), a.toString());
            }
            awaitDriver(a, action, original);
        }
        LOG.info("{} restored to {}", a, original);
    }

    private void write(PciAddress a, String action, Path file, String value) {
        try {
            writer.write(file, value);
        } catch (IOException ex) {
            String reason = SysfsErrors.reason(ex);
            throw new VfioBindException(a, "write " + file.getFileName(),
                    "vfio: " + action + ": write " + file + ": " + reason + SysfsErrors.hint(reason), ex);
        }
    }

    private Optional<String> currentDriver(PciAddress a, String action) {
        if (!Files.isDirectory(bus.devicePath(a))) {
            throw vanished(a, action);
        }
        try {
            return bus.driverOf(a);
        } catch (IOException ex) {
            String reason = SysfsErrors.reason(ex);
            throw new VfioBindException(a, "read driver", "vfio: " + action + ": read "
                    + bus.devicePath(a).resolve("driver") + ": " + reason + SysfsErrors.hint(reason), ex);
        }
    }

    private VfioBindException vanished(PciAddress a, String action) {
        return new VfioBindException(a, "read driver", "vfio: " + action + ": the device vanished from "
                + bus.devicePath(a).getParent() + " (hot-unplugged or removed; check lspci -D and dmesg)", null);
    }

    private void awaitDriver(PciAddress a, String action, String expected) {
        if (!waitFor(a, action, expected, timeout)) {
            String now = currentDriver(a, action).orElse("no driver");
            throw new VfioBindException(a, "wait for driver", "vfio: " + action + ": still on " + now
                    + " after " + timeout.toMillis() + " ms (check dmesg for probe errors of "
                    + (expected == null ? "the old driver" : expected) + ")", null);
        }
    }

    private boolean waitFor(PciAddress a, String action, String expected, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<String> now = currentDriver(a, action);
            if (expected == null ? now.isEmpty() : now.filter(expected::equals).isPresent()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(pollInterval.toMillis(), pollInterval.toNanosPart() % 1_000_000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new VfioBindException(a, "wait for driver", "vfio: " + action
                        + ": interrupted while waiting for the driver link (run restoreFromJournal)", ie);
            }
        }
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
        private Duration timeout = Duration.ofSeconds(10);
        private Duration pollInterval = Duration.ofMillis(20);
        private boolean forceBootVga;

        private Builder() {
        }

        /** The bus to read; default {@link PciBus#system()}. */
        public Builder bus(PciBus bus) {
            this.bus = Objects.requireNonNull(bus, "bus == null");
            return this;
        }

        /** The sysfs write seam; default {@link SysfsWriter#direct()}. */
        public Builder writer(SysfsWriter writer) {
            this.writer = Objects.requireNonNull(writer, "writer == null");
            return this;
        }

        /** Existing private directory (not group/other-writable) for restore journals (required). */
        public Builder journalDirectory(Path dir) {
            this.journalDir = Objects.requireNonNull(dir, "dir == null");
            return this;
        }

        /** How long to wait for each driver link to change; default 10 s. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** How often to re-read the driver link while waiting; default 20 ms. */
        public Builder pollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("poll interval must be positive: " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /** Allow taking the boot VGA device from its host driver (the host console goes dark). Default false. */
        public Builder forceBootVga(boolean force) {
            this.forceBootVga = force;
            return this;
        }

        /**
         * Builds the binder.
         *
         * @throws IllegalStateException when no journal directory was given or it is not a directory
         */
        public VfioBinder build() {
            if (journalDir == null || !Files.isDirectory(journalDir)) {
                throw new IllegalStateException("journalDirectory must be an existing directory: " + journalDir);
            }
            // Journals drive root-privileged sysfs writes on restore: others must not be able to plant one.
            try {
                var perms = Files.getPosixFilePermissions(journalDir);
                if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw new IllegalStateException("journalDirectory " + journalDir + " is writable by group or"
                            + " others; use a private directory (mode 0700)");
                }
            } catch (UnsupportedOperationException | IOException e) {
                throw new IllegalStateException("cannot read permissions of journalDirectory " + journalDir, e);
            }
            return new VfioBinder(this);
        }
    }
}
