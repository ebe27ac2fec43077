package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.vfio.internal.BoundedCall;
import dev.virtualghost.vfio.internal.Journal;
import dev.virtualghost.vfio.internal.SysfsErrors;
import dev.virtualghost.vfio.internal.SysfsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sysfs steps that move one device to vfio-pci and back (Documentation/ABI/testing/sysfs-bus-pci). Every write
 * goes through the {@link SysfsWriter} seam on a daemon thread and is bounded by the write timeout, every wait for
 * the {@code driver} link by the driver timeout. Restoring is state-aware: it reads the device first and writes only
 * what would change something. Thread-safe: holds only configuration.
 */
final class DriverSteps {
    private static final Logger LOG = LoggerFactory.getLogger(DriverSteps.class);
    private static final Runnable NO_PROGRESS = () -> {};

    private final PciBus bus;
    private final SysfsWriter writer;
    private final Duration timeout;
    private final Duration pollInterval;
    private final Duration writeTimeout;

    DriverSteps(PciBus bus, SysfsWriter writer, Duration timeout, Duration pollInterval, Duration writeTimeout) {
        this.bus = bus;
        this.writer = writer;
        this.timeout = timeout;
        this.pollInterval = pollInterval;
        this.writeTimeout = writeTimeout;
    }

    /**
     * Binds the device of {@code e} to vfio-pci: override, unbind the current driver, probe, wait for the link.
     * {@code progress} runs after each write that changed the device, or may still change it (timed out).
     */
    void bind(Journal.Entry e, Runnable progress) {
        PciAddress a = e.address();
        String action = "bind " + a + " to vfio-pci";
        write(a, action, bus.devicePath(a).resolve("driver_override"), PciDevice.VFIO_PCI, progress);
        Optional<String> current = currentDriver(a, action);
        if (current.isPresent() && !current.get().equals(PciDevice.VFIO_PCI)) {
            write(a, action, bus.driverPath(current.get()).resolve("unbind"), a.toString(), progress);
        }
        if (!currentDriver(a, action).filter(PciDevice.VFIO_PCI::equals).isPresent()) {
            write(a, action, bus.sysRoot().resolve("bus/pci/drivers_probe"), a.toString(), progress);
        }
        awaitDriver(a, action, PciDevice.VFIO_PCI);
    }

    /**
     * Gives the device of {@code e} back its original override and driver. A device already in that state gets no
     * write at all, so replaying a journal (or rolling back a device never changed) cannot fail or disturb it.
     */
    void restore(Journal.Entry e) {
        PciAddress a = e.address();
        String original = e.driver();
        String action = "restore " + a + " to " + (original == null ? "no driver" : original);
        Path dev = bus.devicePath(a);
        if (!Files.isDirectory(dev)) {
            // Absent: a wrong sysfs root or a hot-unplug. Nothing can be verified, so the caller keeps the journal.
            throw new VfioBindException(
                    a,
                    "find device",
                    "vfio: " + action + ": the device is not under "
                            + dev.getParent()
                            + ", so its restore cannot be done or verified and the journal is kept (check"
                            + " that --sys is the sysfs root the run used and that the device is plugged in; delete the"
                            + " journal by hand only if the device is gone for good)",
                    null);
        }
        Optional<String> before = currentDriver(a, action);
        if (original != null && !before.equals(Optional.of(original)) && !bus.hasDriver(original)) {
            // Checked before any write: unbinding first would leave the device with no driver at all.
            throw new VfioBindException(
                    a,
                    "find driver",
                    "vfio: " + action + ": the driver " + original
                            + " is not loaded (no "
                            + bus.sysRoot().resolve("bus/pci/drivers").resolve(original)
                            + "), so the device stays on " + before.orElse("no driver") + " (run 'modprobe " + original
                            + "', then restore again)",
                    null);
        }
        if (!Objects.equals(currentOverride(a, action), e.override())) {
            // "\n" clears driver_override (sysfs-bus-pci); the original value goes back verbatim otherwise.
            write(a, action, dev.resolve("driver_override"), e.override() == null ? "\n" : e.override(), NO_PROGRESS);
        }
        Optional<String> current = currentDriver(a, action);
        if (current.equals(Optional.ofNullable(original))) {
            LOG.debug("{} already on {}", a, original == null ? "no driver" : original);
            return;
        }
        if (current.isPresent()) {
            write(a, action, bus.driverPath(current.get()).resolve("unbind"), a.toString(), NO_PROGRESS);
        }
        if (original == null) {
            awaitDriver(a, action, null);
            return;
        }
        write(a, action, bus.sysRoot().resolve("bus/pci/drivers_probe"), a.toString(), NO_PROGRESS);
        if (!waitFor(a, action, original, timeout.dividedBy(2))) {
            // drivers_probe may pick another matching driver; bind the original one explicitly.
            Optional<String> other = currentDriver(a, action);
            if (other.isPresent() && !other.get().equals(original)) {
                write(a, action, bus.driverPath(other.get()).resolve("unbind"), a.toString(), NO_PROGRESS);
            }
            if (currentDriver(a, action).isEmpty()) {
                write(a, action, bus.driverPath(original).resolve("bind"), a.toString(), NO_PROGRESS);
            }
            awaitDriver(a, action, original);
        }
        LOG.info("{} restored to {}", a, original);
    }

    /**
     * Reads the device back and checks that it is in the state {@code e} recorded (driver and override), so a
     * journal is only removed once its restore is seen done.
     */
    void verify(Journal.Entry e) {
        PciAddress a = e.address();
        String action = "verify the restore of " + a;
        Optional<String> driver = currentDriver(a, action);
        String override = currentOverride(a, action);
        if (!driver.equals(Optional.ofNullable(e.driver())) || !Objects.equals(override, e.override())) {
            throw new VfioBindException(
                    a,
                    "verify",
                    "vfio: " + action + ": it is on " + driver.orElse("no driver")
                            + " with driver_override " + (override == null ? "unset" : override) + ", not on "
                            + (e.driver() == null ? "no driver" : e.driver()) + " with "
                            + (e.override() == null ? "none" : e.override()) + " (something else changed it meanwhile;"
                            + " check lspci -D -k, then restore again)",
                    null);
        }
    }

    private void write(PciAddress a, String action, Path file, String value, Runnable progress) {
        String step = "write " + file.getFileName();
        try {
            SysfsFiles.confine(bus.sysRoot(), file);
        } catch (IOException ex) {
            throw new VfioBindException(
                    a, step, "vfio: " + action + ": write " + file + ": " + SysfsErrors.reason(ex), ex);
        }
        try {
            BoundedCall.run("vfio-sysfs-write " + file, writeTimeout, () -> writer.write(file, value));
        } catch (TimeoutException ex) {
            progress.run(); // the kernel may still complete the write once whatever blocks it lets go
            throw new VfioBindException(
                    a,
                    step,
                    "vfio: " + action + ": write " + file + " did not return within " + seconds(writeTimeout)
                            + timeoutHint(file),
                    ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            progress.run();
            throw new VfioBindException(
                    a,
                    step,
                    "vfio: " + action + ": interrupted while writing " + file
                            + " (the write may still complete; run restore again)",
                    ex);
        } catch (IOException ex) {
            if (SysfsErrors.isPermission(ex)) {
                throw new VfioBindException(
                        a,
                        step,
                        "vfio: " + action + ": write " + file + ": permission denied:"
                                + " run as root or give the user write access to "
                                + bus.sysRoot().resolve("bus/pci")
                                + "/... (driver_override, drivers/*/unbind and bind, drivers_probe)",
                        ex);
            }
            String reason = SysfsErrors.reason(ex);
            throw new VfioBindException(
                    a, step, "vfio: " + action + ": write " + file + ": " + reason + SysfsErrors.hint(reason), ex);
        }
        progress.run();
    }

    // unbind_store runs the driver's remove callback under the device lock (drivers/base/bus.c, dd.c); vfio-pci's
    // remove waits for the last open device fd to close, so a running VM holds it up indefinitely.
    private static String timeoutHint(Path file) {
        if (file.getFileName().toString().equals("unbind")) {
            String driver = file.getParent().getFileName().toString();
            return PciDevice.VFIO_PCI.equals(driver)
                    ? " (is a VM still using the device? stop it, then run restore again)"
                    : " (is a process still using the device through " + driver + "? stop it, then run restore again)";
        }
        return " (the driver is stuck in the kernel; check dmesg, then run restore again)";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private String currentOverride(PciAddress a, String action) {
        Path file = bus.devicePath(a).resolve("driver_override");
        try {
            // Reads "(null)" when unset (drivers/pci/pci-sysfs.c driver_override_show).
            String s = SysfsFiles.read(file);
            return s.isEmpty() || s.equals("(null)") ? null : s;
        } catch (NoSuchFileException ex) {
            throw Files.isDirectory(bus.devicePath(a)) ? readFailure(a, action, file, ex) : vanished(a, action);
        } catch (IOException ex) {
            throw readFailure(a, action, file, ex);
        }
    }

    private Optional<String> currentDriver(PciAddress a, String action) {
        if (!Files.isDirectory(bus.devicePath(a))) {
            throw vanished(a, action);
        }
        try {
            return bus.driverOf(a);
        } catch (IOException ex) {
            throw readFailure(a, action, bus.devicePath(a).resolve("driver"), ex);
        }
    }

    private static VfioBindException readFailure(PciAddress a, String action, Path file, IOException ex) {
        String reason = SysfsErrors.reason(ex);
        return new VfioBindException(
                a,
                "read " + file.getFileName(),
                "vfio: " + action + ": read " + file + ": " + reason + SysfsErrors.hint(reason),
                ex);
    }

    private VfioBindException vanished(PciAddress a, String action) {
        return new VfioBindException(
                a,
                "read driver",
                "vfio: " + action + ": the device vanished from "
                        + bus.devicePath(a).getParent() + " (hot-unplugged or removed; check lspci -D and dmesg)",
                null);
    }

    private void awaitDriver(PciAddress a, String action, String expected) {
        if (!waitFor(a, action, expected, timeout)) {
            String now = currentDriver(a, action).orElse("no driver");
            throw new VfioBindException(
                    a,
                    "wait for driver",
                    "vfio: " + action + ": still on " + now
                            + " after " + timeout.toMillis() + " ms (check dmesg for probe errors of "
                            + (expected == null ? "the old driver" : expected) + ")",
                    null);
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
                throw new VfioBindException(
                        a,
                        "wait for driver",
                        "vfio: " + action + ": interrupted while waiting for the driver link (run restoreFromJournal)",
                        ie);
            }
        }
    }
}
