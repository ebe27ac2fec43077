package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.vfio.internal.DriverNames;
import dev.virtualghost.vfio.internal.SysfsErrors;
import dev.virtualghost.vfio.internal.SysfsFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Read-only view of the PCI bus through sysfs: devices, GPUs and IOMMU groups. Every call reads sysfs afresh. Paths
 * are built only from validated {@link PciAddress} values. Thread-safe; holds no resources.
 */
public final class PciBus {
    private final Path sysRoot;
    private final PciIds ids;

    private PciBus(Path sysRoot, PciIds ids) {
        this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot == null");
        this.ids = Objects.requireNonNull(ids, "ids == null");
    }

    /**
     * Returns the host's bus under {@code /sys}, with names from the installed pci.ids if any.
     *
     * @return a view of the host's PCI bus; nothing is read until a query
     */
    public static PciBus system() {
        return new PciBus(Path.of("/sys"), PciIds.system());
    }

    /**
     * Returns a bus under any directory laid out as {@code /sys} (tests), with names from the installed pci.ids if
     * any.
     *
     * @param sysRoot the directory that plays {@code /sys}
     * @return a view of the bus under {@code sysRoot}
     * @throws NullPointerException if {@code sysRoot} is null
     */
    public static PciBus at(Path sysRoot) {
        return new PciBus(sysRoot, PciIds.system());
    }

    /**
     * Returns a bus under {@code sysRoot} naming devices from {@code ids}.
     *
     * @param sysRoot the directory that plays {@code /sys}
     * @param ids     the database {@link PciDevice#name()} is taken from
     * @return a view of the bus under {@code sysRoot}
     * @throws NullPointerException if an argument is null
     */
    public static PciBus at(Path sysRoot, PciIds ids) {
        return new PciBus(sysRoot, ids);
    }

    /**
     * Returns the sysfs root this bus reads.
     *
     * @return {@code /sys} on a host, a test tree otherwise
     */
    public Path sysRoot() {
        return sysRoot;
    }

    /**
     * Returns the sysfs directory of a device; does not check that it exists.
     *
     * @param address the device's address
     * @return {@code <sys>/bus/pci/devices/<address>}
     */
    public Path devicePath(PciAddress address) {
        return sysRoot.resolve("bus/pci/devices").resolve(address.toString());
    }

    /**
     * Returns the sysfs directory of a PCI driver; does not check that it exists.
     *
     * @param driver a plain driver name, e.g. {@code vfio-pci}
     * @return {@code <sys>/bus/pci/drivers/<driver>}
     * @throws IllegalArgumentException if {@code driver} is not one printable path component (or is . or ..)
     */
    public Path driverPath(String driver) {
        if (!DriverNames.isValid(driver)) {
            throw new IllegalArgumentException("invalid driver name '" + DriverNames.printable(driver)
                    + "' (a driver name is one printable path component, not . or ..)");
        }
        return sysRoot.resolve("bus/pci/drivers").resolve(driver);
    }

    /**
     * Tells whether a driver is registered (its module loaded) on this bus.
     *
     * @param driver a plain driver name, e.g. {@code vfio-pci}
     * @return true when {@code <sys>/bus/pci/drivers/<driver>} is a directory
     * @throws IllegalArgumentException if {@code driver} is not a valid driver name
     */
    public boolean hasDriver(String driver) {
        return Files.isDirectory(driverPath(driver));
    }

    /**
     * Every PCI function, ordered by address.
     *
     * @return an immutable list, read afresh
     * @throws VfioHostException when {@code bus/pci/devices} cannot be listed or a device cannot be read
     */
    public List<PciDevice> devices() {
        Path dir = sysRoot.resolve("bus/pci/devices");
        List<PciDevice> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (PciAddress.isValid(name)) {
                    read(PciAddress.parse(name)).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new VfioHostException(
                    "vfio: list PCI devices in " + dir + ": " + SysfsErrors.reason(e) + " (is sysfs mounted at "
                            + sysRoot + "?)",
                    e);
        }
        out.sort(Comparator.comparing(PciDevice::address));
        return List.copyOf(out);
    }

    /**
     * The device at {@code address}, empty when there is none.
     *
     * @param address the device's address
     * @return a fresh snapshot of the device, or empty when it is absent
     * @throws VfioHostException when the device exists but its attributes cannot be read
     */
    public Optional<PciDevice> device(PciAddress address) {
        return read(address);
    }

    /**
     * The device at {@code address}.
     *
     * @param address the device's address
     * @return a fresh snapshot of the device
     * @throws VfioDeviceException when there is no such device
     * @throws VfioHostException when the device exists but its attributes cannot be read
     */
    public PciDevice require(PciAddress address) {
        return read(address)
                .orElseThrow(() -> new VfioDeviceException("vfio: find PCI device " + address
                        + ": no such device under " + sysRoot.resolve("bus/pci/devices")
                        + " (check the address with lspci -D)"));
    }

    /**
     * Lists display-class devices with their same-slot companion functions.
     *
     * @return an immutable list in address order; empty on a host without a display device
     * @throws VfioHostException when the PCI devices cannot be listed
     */
    public List<Gpu> gpus() {
        List<PciDevice> all = devices();
        List<Gpu> gpus = new ArrayList<>();
        for (PciDevice d : all) {
            if (d.isDisplay()) {
                List<PciDevice> companions = all.stream()
                        .filter(o -> o != d && o.address().sameSlot(d.address()) && !o.isDisplay())
                        .toList();
                gpus.add(new Gpu(d, companions));
            }
        }
        return List.copyOf(gpus);
    }

    /**
     * The IOMMU group of {@code address}.
     *
     * @param address a device's address
     * @return a fresh snapshot of the device's group, every member included
     * @throws VfioDeviceException when the device is absent or has no IOMMU group (IOMMU disabled)
     * @throws VfioHostException when the device or its group cannot be read
     */
    public IommuGroup groupOf(PciAddress address) {
        PciDevice d = require(address);
        if (d.iommuGroup() < 0) {
            throw new VfioDeviceException("vfio: find IOMMU group of " + d.label() + ": the device has none"
                    + " (enable the IOMMU: add intel_iommu=on iommu=pt or amd_iommu=on to the kernel command line)");
        }
        return group(d.iommuGroup());
    }

    /**
     * IOMMU group {@code number}, read from {@code kernel/iommu_groups/<n>/devices}.
     *
     * @param number the group number, zero or more
     * @return a fresh snapshot of the group, members ordered by address
     * @throws IllegalArgumentException if {@code number} is negative
     * @throws VfioHostException when the group directory cannot be read
     */
    public IommuGroup group(int number) {
        if (number < 0) {
            throw new IllegalArgumentException("IOMMU group number < 0: " + number);
        }
        Path dir = sysRoot.resolve("kernel/iommu_groups")
                .resolve(Integer.toString(number))
                .resolve("devices");
        List<PciDevice> members = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (PciAddress.isValid(name)) {
                    read(PciAddress.parse(name)).ifPresent(members::add);
                }
            }
        } catch (IOException e) {
            throw new VfioHostException(
                    "vfio: read IOMMU group " + number + " at " + dir + ": " + SysfsErrors.reason(e)
                            + " (is the IOMMU enabled?)",
                    e);
        }
        members.sort(Comparator.comparing(PciDevice::address));
        return new IommuGroup(number, members);
    }

    /**
     * The name of the driver bound to {@code address}, empty when unbound or absent.
     *
     * @param address the device's address
     * @return the driver's name, e.g. {@code nvidia} or {@code vfio-pci}; empty when unbound or absent
     * @throws IOException when the {@code driver} link cannot be read or names no valid driver (the kernel never makes
     *     such a link: the tree is not a real sysfs)
     */
    public Optional<String> driverOf(PciAddress address) throws IOException {
        Path link = devicePath(address).resolve("driver");
        String name;
        try {
            name = SysfsFiles.linkName(link);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!DriverNames.isValid(name)) {
            throw new FileSystemException(
                    link.toString(),
                    null,
                    "the driver link names an invalid driver '" + DriverNames.printable(name)
                            + "', which the kernel never makes (is --sys a real sysfs tree?)");
        }
        return Optional.of(name);
    }

    private Optional<PciDevice> read(PciAddress address) {
        Path dir = devicePath(address);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try {
            int vendor = hexAttr(dir, "vendor", -1);
            int device = hexAttr(dir, "device", -1);
            String driver = driverOf(address).orElse(null);
            String override = text(dir, "driver_override");
            if (override != null && (override.isEmpty() || override.equals("(null)"))) {
                override = null;
            }
            int group = -1;
            try {
                group = Integer.parseInt(SysfsFiles.linkName(dir.resolve("iommu_group")));
            } catch (NoSuchFileException | NumberFormatException e) {
                group = -1;
            }
            String numa = text(dir, "numa_node");
            String reset = text(dir, "reset_method");
            String boot = text(dir, "boot_vga");
            return Optional.of(new PciDevice(
                    address,
                    vendor,
                    device,
                    hexAttr(dir, "class", 0),
                    hexAttr(dir, "subsystem_vendor", -1),
                    hexAttr(dir, "subsystem_device", -1),
                    driver,
                    override,
                    group,
                    numa == null ? -1 : parseInt(numa, -1),
                    "1".equals(boot),
                    reset == null ? "" : reset,
                    ids.describe(vendor & 0xffff, device & 0xffff)));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed while being read (hot-unplug)
        } catch (IOException e) {
            String why = SysfsErrors.reason(e);
            throw new VfioHostException(
                    "vfio: read PCI device " + address + " at " + dir + ": " + why
                            + (SysfsErrors.isPermission(e)
                                    ? " (run with read access to sysfs)"
                                    : " (check that --sys names a real sysfs tree)"),
                    e);
        }
    }

    private static String text(Path dir, String attr) throws IOException {
        Path f = dir.resolve(attr);
        try {
            return SysfsFiles.read(f);
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            return null; // attribute not offered by this kernel/device
        }
    }

    private static int hexAttr(Path dir, String attr, int absent) throws IOException {
        String s = text(dir, attr);
        if (s == null) {
            return absent;
        }
        String digits = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        try {
            return Integer.parseInt(digits, 16);
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    private static int parseInt(String s, int absent) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return absent;
        }
    }
}
