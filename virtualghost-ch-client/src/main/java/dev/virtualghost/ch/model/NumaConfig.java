package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;

/**
 * The {@code NumaConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code NumaConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param guestNumaId the {@code guest_numa_id} field (required)
 * @param cpus the {@code cpus} field; null when absent
 * @param distances the {@code distances} field; null when absent
 * @param memoryZones the {@code memory_zones} field; null when absent
 * @param pciSegments the {@code pci_segments} field; null when absent
 * @param deviceId the {@code device_id} field; null when absent
 */
public record NumaConfig(
        @Json(name = "guest_numa_id") Integer guestNumaId,
        List<Integer> cpus,
        List<NumaDistance> distances,
        @Json(name = "memory_zones") List<String> memoryZones,
        @Json(name = "pci_segments") List<Integer> pciSegments,
        @Json(name = "device_id") String deviceId) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public NumaConfig {
        cpus = Copies.list(cpus);
        distances = Copies.list(distances);
        memoryZones = Copies.list(memoryZones);
        pciSegments = Copies.list(pciSegments);
    }
}
