package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;
import java.util.Objects;

/**
 * A snapshot of one PCI function as sysfs showed it when read. Immutable; re-read through {@link PciBus} to see
 * changes.
 *
 * @param address          the function's address
 * @param vendorId         {@code vendor}, 16 bits
 * @param deviceId         {@code device}, 16 bits
 * @param classCode        {@code class}, 24 bits (base class, subclass, prog-if)
 * @param subsystemVendor  {@code subsystem_vendor}, or -1 when absent
 * @param subsystemDevice  {@code subsystem_device}, or -1 when absent
 * @param driver           name of the bound driver ({@code driver} link target), or null when unbound
 * @param driverOverride   {@code driver_override} content, or null when unset ("(null)")
 * @param iommuGroup       IOMMU group number, or -1 when the device has none (IOMMU off)
 * @param numaNode         {@code numa_node}, -1 when unknown
 * @param bootVga          {@code boot_vga} is 1 (the firmware's console display)
 * @param resetMethod      {@code reset_method} content, or empty when the kernel has none to offer
 * @param name             human name from pci.ids ("Vendor Device"), or the ids ("10de:2684") when unknown
 */
public record PciDevice(
        PciAddress address,
        int vendorId,
        int deviceId,
        int classCode,
        int subsystemVendor,
        int subsystemDevice,
        String driver,
        String driverOverride,
        int iommuGroup,
        int numaNode,
        boolean bootVga,
        String resetMethod,
        String name) {

    /** The driver name vfio-pci registers in {@code /sys/bus/pci/drivers}. */
    public static final String VFIO_PCI = "vfio-pci";

    /**
     * Checks the required components.
     *
     * @param address          the function's address
     * @param vendorId         {@code vendor}, 16 bits
     * @param deviceId         {@code device}, 16 bits
     * @param classCode        {@code class}, 24 bits (base class, subclass, prog-if)
     * @param subsystemVendor  {@code subsystem_vendor}, or -1 when absent
     * @param subsystemDevice  {@code subsystem_device}, or -1 when absent
     * @param driver           name of the bound driver, or null when unbound
     * @param driverOverride   {@code driver_override} content, or null when unset
     * @param iommuGroup       IOMMU group number, or -1 when the device has none
     * @param numaNode         {@code numa_node}, -1 when unknown
     * @param bootVga          {@code boot_vga} is 1
     * @param resetMethod      {@code reset_method} content, or empty
     * @param name             human name from pci.ids, or the ids when unknown
     * @throws NullPointerException if {@code address}, {@code resetMethod} or {@code name} is null
     */
    public PciDevice {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(resetMethod, "resetMethod == null");
        Objects.requireNonNull(name, "name == null");
    }

    /**
     * Tells whether this is a display controller.
     *
     * @return true for base class 0x03: VGA, XGA, 3D or other display controller
     */
    public boolean isDisplay() {
        return (classCode >>> 16) == 0x03;
    }

    /**
     * Tells whether this is a PCI-to-PCI bridge, which vfio-pci need not own.
     *
     * @return true for class 0x0604: PCI-to-PCI bridge (root ports, switch ports)
     */
    public boolean isBridge() {
        return (classCode >>> 8) == 0x0604;
    }

    /**
     * Tells whether vfio-pci drove the function when it was read.
     *
     * @return true when {@link #driver()} is {@value #VFIO_PCI}
     */
    public boolean isOnVfio() {
        return VFIO_PCI.equals(driver);
    }

    /**
     * Returns the vendor and device ids as lspci -n prints them.
     *
     * @return {@code vendor:device} in lower-case hex, e.g. {@code "10de:2684"}
     */
    public String ids() {
        return String.format("%04x:%04x", vendorId, deviceId);
    }

    /**
     * Returns the address and name, for messages.
     *
     * @return e.g. {@code "0000:01:00.1 (NVIDIA Corporation AD102 High Definition Audio Controller)"}
     */
    public String label() {
        return address + " (" + name + ")";
    }
}
