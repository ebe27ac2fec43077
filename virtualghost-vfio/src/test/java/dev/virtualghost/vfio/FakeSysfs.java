package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A sysfs tree under a temp directory with the kernel's real layout, and a {@link SysfsWriter} that reacts to writes
 * as the kernel documents them (Documentation/ABI/testing/sysfs-bus-pci, drivers/pci/pci-sysfs.c,
 * drivers/base/bus.c):
 * <ul>
 *   <li>{@code bus/pci/devices/<addr>} is a symlink to {@code ../../../devices/pci0000:00/[<bridge>/]<addr>};
 *       {@code <dev>/driver} links to {@code bus/pci/drivers/<name>}, {@code <dev>/iommu_group} to
 *       {@code kernel/iommu_groups/<n>}, and {@code kernel/iommu_groups/<n>/devices/<addr>} back to the device.</li>
 *   <li>{@code driver_override}: "the next time a probe is done only this driver may bind"; writing an empty
 *       string or "\n" clears it and reading shows "(null)".</li>
 *   <li>{@code drivers/<name>/unbind}: detaches the device; the kernel returns ENODEV when the device is not bound
 *       to that driver (unbind_store).</li>
 *   <li>{@code drivers_probe}: "ask the kernel to probe a device": binds nothing when already bound, else the
 *       override driver only (if set), else the device's matching default driver.</li>
 *   <li>{@code drivers/<name>/bind}: binds a free device (EBUSY when already bound, ENODEV when the override
 *       forbids that driver, as bind_store/driver_match_device do).</li>
 * </ul>
 * Injectable failures: EBUSY on unbind; a non-root writer, refused with EACCES at open(2) as real sysfs does (the
 * driver files are root-owned, 0200 for {@code bind}/{@code unbind}/{@code drivers_probe} in drivers/base/bus.c,
 * 0644 for {@code driver_override} in drivers/pci/pci-sysfs.c), which the JDK raises as
 * {@link AccessDeniedException}; an unbind that blocks until released, as vfio-pci's remove callback waits for the
 * last open device fd (vfio_unregister_group_dev in drivers/vfio/vfio_main.c: "Device is currently in use, task
 * ... blocked until device is released"); a device that vanishes after a given write (hot-unplug); and a driver
 * whose probe never succeeds (the binder then times out). Every write is logged when it starts.
 */
public final class FakeSysfs implements SysfsWriter {
    static final String BUSY = "Device or resource busy";
    static final String NO_DEVICE = "No such device";

    private final Path root;
    private final Map<String, String> defaultDriver = new HashMap<>();
    private final Set<String> busyOnUnbind = new HashSet<>();
    private final Set<String> neverBinds = new HashSet<>();
    private final Map<String, String> vanishAfter = new HashMap<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, CountDownLatch> blockedUnbind = new ConcurrentHashMap<>();
    private final Set<Thread> blockedWriters = ConcurrentHashMap.newKeySet();
    private volatile boolean notRoot;

    public FakeSysfs(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve("devices/pci0000:00"));
        Files.createDirectories(root.resolve("bus/pci/devices"));
        Files.createDirectories(root.resolve("bus/pci/drivers"));
        Files.createDirectories(root.resolve("kernel/iommu_groups"));
        if (!Files.exists(root.resolve("bus/pci/drivers_probe"))) {
            Files.writeString(root.resolve("bus/pci/drivers_probe"), "");
        }
    }

    /**
     * A writer over a tree another {@link FakeSysfs} made (e.g. in a parent process): it acts on the files as they
     * are; devices have no default driver for {@code drivers_probe} (binding uses the override, so needs none).
     */
    public static FakeSysfs existing(Path root) throws IOException {
        return new FakeSysfs(root);
    }

    public Path root() {
        return root;
    }

    /** Registers a driver: {@code bus/pci/drivers/<name>/{bind,unbind,new_id}}. */
    public FakeSysfs driver(String name) throws IOException {
        Path d = root.resolve("bus/pci/drivers").resolve(name);
        Files.createDirectories(d);
        for (String f : List.of("bind", "unbind", "new_id")) {
            if (!Files.exists(d.resolve(f))) {
                Files.writeString(d.resolve(f), "");
            }
        }
        return this;
    }

    /**
     * Adds a device under {@code parent} (a bridge address or null for the root bus), bound to {@code driver}
     * (null: unbound; that driver also becomes its default for drivers_probe), in IOMMU group {@code group}
     * (negative: none).
     */
    public FakeSysfs device(String addr, String parent, int vendor, int device, int cls, String driver, int group)
            throws IOException {
        Path dir = parent == null
                ? root.resolve("devices/pci0000:00").resolve(addr)
                : realDir(parent).resolve(addr);
        Files.createDirectories(dir);
        attr(dir, "vendor", String.format("0x%04x", vendor));
        attr(dir, "device", String.format("0x%04x", device));
        attr(dir, "class", String.format("0x%06x", cls));
        attr(dir, "subsystem_vendor", String.format("0x%04x", vendor));
        attr(dir, "subsystem_device", "0x0001");
        attr(dir, "driver_override", "(null)");
        attr(dir, "numa_node", "-1");
        attr(dir, "reset_method", "flr bus");
        Files.createSymbolicLink(
                root.resolve("bus/pci/devices").resolve(addr),
                root.resolve("bus/pci/devices").relativize(dir));
        if (group >= 0) {
            Path g = root.resolve("kernel/iommu_groups")
                    .resolve(Integer.toString(group))
                    .resolve("devices");
            Files.createDirectories(g);
            Files.createSymbolicLink(g.resolve(addr), g.relativize(dir));
            Files.createSymbolicLink(dir.resolve("iommu_group"), dir.relativize(g.getParent()));
        }
        if (driver != null) {
            driver(driver);
            defaultDriver.put(addr, driver);
            link(addr, driver);
        }
        return this;
    }

    /** Sets {@code boot_vga} (only VGA devices have it). */
    public FakeSysfs bootVga(String addr, boolean on) throws IOException {
        attr(realDir(addr), "boot_vga", on ? "1" : "0");
        return this;
    }

    /** The driver drivers_probe picks without an override (the one whose id table matches). */
    public FakeSysfs defaultDriver(String addr, String driver) {
        defaultDriver.put(addr, driver);
        return this;
    }

    FakeSysfs busyOnUnbind(String addr) {
        busyOnUnbind.add(addr);
        return this;
    }

    /** Undoes {@link #busyOnUnbind}: the device's user went away. */
    FakeSysfs idle(String addr) {
        busyOnUnbind.remove(addr);
        return this;
    }

    FakeSysfs neverBinds(String driver) {
        neverBinds.add(driver);
        return this;
    }

    FakeSysfs notRoot(boolean on) {
        notRoot = on;
        return this;
    }

    /** Makes the next unbinds of {@code addr} block (as while a VM holds the device) until {@link #releaseUnbinds}. */
    FakeSysfs blockOnUnbind(String addr) {
        blockedUnbind.put(addr, new CountDownLatch(1));
        return this;
    }

    /**
     * Lets the blocked unbinds go on (the VM closed its fd), as the kernel then finishes them, and waits until they
     * have.
     */
    FakeSysfs releaseUnbinds() throws InterruptedException {
        List<Thread> blocked = List.copyOf(blockedWriters);
        blockedUnbind.values().forEach(CountDownLatch::countDown);
        blockedUnbind.clear();
        for (Thread t : blocked) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
        return this;
    }

    /** Removes the device (as hot-unplug would) right after the write of {@code fileName} that names it. */
    FakeSysfs vanishAfter(String addr, String fileName) {
        vanishAfter.put(addr, fileName);
        return this;
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    public String driverOf(String addr) throws IOException {
        Path link = realDir(addr).resolve("driver");
        return Files.isSymbolicLink(link)
                ? Files.readSymbolicLink(link).getFileName().toString()
                : null;
    }

    public String overrideOf(String addr) throws IOException {
        return Files.readString(realDir(addr).resolve("driver_override")).strip();
    }

    @Override
    public void write(Path file, String value) throws IOException {
        log.add(root.relativize(file) + " <- " + value.replace("\n", "\\n"));
        if (notRoot) {
            throw new AccessDeniedException(file.toString());
        }
        Path rel = root.relativize(file);
        CountDownLatch gate = rel.getFileName().toString().equals("unbind") ? blockedUnbind.get(value.strip()) : null;
        if (gate != null) {
            // Blocks outside the lock: other devices' writes go on meanwhile, as they do in the kernel.
            blockedWriters.add(Thread.currentThread());
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("unbind interrupted");
            } finally {
                blockedWriters.remove(Thread.currentThread());
            }
        }
        apply(file, rel, value);
    }

    private synchronized void apply(Path file, Path rel, String value) throws IOException {
        String name = rel.getFileName().toString();
        String addr;
        if (rel.startsWith("bus/pci/devices") && name.equals("driver_override")) {
            addr = rel.getName(3).toString();
            Path dir = existing(file, addr);
            String v = value.strip();
            attr(dir, "driver_override", v.isEmpty() ? "(null)" : v);
        } else if (rel.equals(Path.of("bus/pci/drivers_probe"))) {
            addr = value.strip();
            probe(file, addr);
        } else if (rel.startsWith("bus/pci/drivers") && name.equals("unbind")) {
            addr = value.strip();
            String drv = rel.getName(3).toString();
            existing(file, addr);
            if (!drv.equals(driverOf(addr))) {
                throw new FileSystemException(file.toString(), null, NO_DEVICE);
            }
            if (busyOnUnbind.contains(addr)) {
                throw new FileSystemException(file.toString(), null, BUSY);
            }
            unlink(addr, drv);
        } else if (rel.startsWith("bus/pci/drivers") && name.equals("bind")) {
            addr = value.strip();
            String drv = rel.getName(3).toString();
            existing(file, addr);
            if (driverOf(addr) != null) {
                throw new FileSystemException(file.toString(), null, BUSY);
            }
            String override = overrideOf(addr);
            if (!override.equals("(null)") && !override.equals(drv)) {
                throw new FileSystemException(file.toString(), null, NO_DEVICE);
            }
            if (!neverBinds.contains(drv)) {
                link(addr, drv);
            }
        } else {
            throw new FileSystemException(file.toString(), null, "Permission denied");
        }
        if (name.equals(vanishAfter.get(addr))) {
            remove(addr);
        }
    }

    private void probe(Path file, String addr) throws IOException {
        existing(file, addr);
        if (driverOf(addr) != null) {
            return;
        }
        String override = overrideOf(addr);
        String drv = override.equals("(null)") ? defaultDriver.get(addr) : override;
        if (drv != null
                && Files.isDirectory(root.resolve("bus/pci/drivers").resolve(drv))
                && !neverBinds.contains(drv)) {
            link(addr, drv);
        }
    }

    private Path existing(Path file, String addr) throws IOException {
        if (!PciAddress.isValid(addr)
                || !Files.isDirectory(root.resolve("bus/pci/devices").resolve(addr))) {
            throw new FileSystemException(file.toString(), null, NO_DEVICE);
        }
        return realDir(addr);
    }

    private void link(String addr, String drv) throws IOException {
        Path dir = realDir(addr);
        Path drvDir = root.resolve("bus/pci/drivers").resolve(drv);
        Files.createSymbolicLink(dir.resolve("driver"), dir.relativize(drvDir));
        Files.createSymbolicLink(drvDir.resolve(addr), drvDir.relativize(dir));
    }

    private void unlink(String addr, String drv) throws IOException {
        Files.deleteIfExists(realDir(addr).resolve("driver"));
        Files.deleteIfExists(root.resolve("bus/pci/drivers").resolve(drv).resolve(addr));
    }

    private void remove(String addr) throws IOException {
        String drv = driverOf(addr);
        if (drv != null) {
            unlink(addr, drv);
        }
        Path dir = realDir(addr);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.delete(root.resolve("bus/pci/devices").resolve(addr));
    }

    private Path realDir(String addr) throws IOException {
        Path link = root.resolve("bus/pci/devices").resolve(addr);
        if (!Files.isSymbolicLink(link)) {
            throw new NoSuchFileException(link.toString());
        }
        return link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
    }

    private static void attr(Path dir, String name, String value) throws IOException {
        Files.writeString(dir.resolve(name), value + "\n", StandardCharsets.US_ASCII);
    }
}
