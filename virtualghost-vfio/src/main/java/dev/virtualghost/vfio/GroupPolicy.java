package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;
import java.util.List;
import java.util.Locale;

/**
 * Decides, before any sysfs write, whether an IOMMU group may be handed to vfio-pci for a GPU. VFIO needs every
 * non-bridge member on vfio-pci (a group is viable only then, drivers/vfio/group.c), so binding a GPU whose group
 * also holds the host's NVMe disk or NIC would take that device from the host; such members are refused unless the
 * caller allows it. Stateless.
 */
final class GroupPolicy {
    private GroupPolicy() {}

    /**
     * Checks {@code group} for binding {@code device}.
     *
     * @throws VfioDeviceException naming what stops the binding and how to proceed
     */
    static void check(IommuGroup group, PciAddress device, boolean forceBootVga, boolean allowUnrelated) {
        for (PciDevice m : group.members()) {
            if (m.isBridge() && IommuGroup.blocks(m)) {
                throw new VfioDeviceException("vfio: bind IOMMU group " + group.number() + " of " + device
                        + ": bridge " + m.label() + " is bound to " + m.driver()
                        + " (a bridge may only have no driver or pcieport; unbind it or use ACS-capable slot)");
            }
        }
        List<PciDevice> targets = group.devicesToBind();
        for (PciDevice m : targets) {
            if (m.bootVga() && m.driver() != null && !m.isOnVfio() && !forceBootVga) {
                throw new VfioDeviceException("vfio: bind " + m.label() + " to vfio-pci: it is the boot VGA device"
                        + " driven by " + m.driver() + " (the host console would go dark; use another GPU, or"
                        + " force with VfioBinder.Builder.forceBootVga(true))");
            }
        }
        List<String> unrelated = targets.stream()
                .filter(m -> isUnrelated(m, device))
                .map(m -> m.label() + " on " + m.driver() + ", class "
                        + String.format(Locale.ROOT, "0x%06x", m.classCode()))
                .toList();
        if (!unrelated.isEmpty() && !allowUnrelated) {
            throw new VfioDeviceException("vfio: bind IOMMU group " + group.number() + " of " + device
                    + " to vfio-pci: the group also holds " + String.join("; ", unrelated)
                    + ", outside the GPU's slot and in use by the host, which would lose "
                    + (unrelated.size() == 1 ? "it" : "them") + " (allow it with"
                    + " VfioBinder.Builder.allowUnrelatedGroupMembers(true), or move the GPU to a slot with its own"
                    + " IOMMU group / ACS)");
        }
    }

    // Functions of the GPU's slot share its fate (HDMI audio, USB-C); unbound or vfio-pci members lose the host
    // nothing.
    private static boolean isUnrelated(PciDevice m, PciAddress device) {
        return !m.address().sameSlot(device) && m.driver() != null && !m.isOnVfio();
    }
}
