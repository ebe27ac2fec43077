package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.List;

/**
 * One guest NUMA node: its vCPUs, memory zones, PCI segments and distances to the other nodes.
 *
 * <p>Mirrors the {@code NumaConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param guestNumaId the node's id in the guest; required
 * @param cpus vCPU indices on this node
 * @param distances distances from this node to others (the ACPI SLIT entries)
 * @param memoryZones ids of the {@link MemoryZoneConfig}s on this node
 * @param pciSegments PCI segments attached to this node
 * @param deviceId id of a device (e.g. a VFIO GPU with its own memory) whose memory forms this node
 */
public record NumaConfig(
        @Json(name = "guest_numa_id") Integer guestNumaId,
        List<Integer> cpus,
        List<NumaDistance> distances,
        @Json(name = "memory_zones") List<String> memoryZones,
        @Json(name = "pci_segments") List<Integer> pciSegments,
        @Json(name = "device_id") String deviceId) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param guestNumaId the node's id in the guest; required
     * @param cpus vCPU indices on this node
     * @param distances distances from this node to others (the ACPI SLIT entries)
     * @param memoryZones ids of the {@link MemoryZoneConfig}s on this node
     * @param pciSegments PCI segments attached to this node
     * @param deviceId id of a device (e.g. a VFIO GPU with its own memory) whose memory forms this node
     */
    public NumaConfig {
        cpus = Copies.list(cpus);
        distances = Copies.list(distances);
        memoryZones = Copies.list(memoryZones);
        pciSegments = Copies.list(pciSegments);
    }
}
