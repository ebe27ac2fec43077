package dev.virtualghost.api;

import java.util.List;
import java.util.Objects;

/**
 * What a launch will ask of the host, so providers can tailor their checks (memlock against the guest RAM,
 * viability of the IOMMU groups of the devices to pass through). Immutable.
 *
 * @param guestMemoryBytes the guest RAM the VM will have, 0 when unknown
 * @param devices          the PCI devices that will be passed through, possibly empty
 */
public record HostCheckContext(long guestMemoryBytes, List<PciAddress> devices) {

    /**
     * Copies the device list and validates the fields.
     *
     * @param guestMemoryBytes the guest RAM the VM will have, 0 when unknown
     * @param devices          the PCI devices that will be passed through, possibly empty
     */
    public HostCheckContext {
        if (guestMemoryBytes < 0) {
            throw new IllegalArgumentException("guestMemoryBytes < 0: " + guestMemoryBytes);
        }
        devices = List.copyOf(Objects.requireNonNull(devices, "devices == null"));
    }

    /**
     * A context that knows nothing about the launch: generic checks only.
     *
     * @return the context
     */
    public static HostCheckContext generic() {
        return new HostCheckContext(0, List.of());
    }
}
