package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code PmemConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code PmemConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param file the {@code file} field (required)
 * @param size the {@code size} field; null when absent
 * @param iommu the {@code iommu} field; null when absent
 * @param discardWrites the {@code discard_writes} field; null when absent
 * @param pciSegment the {@code pci_segment} field; null when absent
 * @param pciDeviceId the {@code pci_device_id} field; null when absent
 * @param id the {@code id} field; null when absent
 */
public record PmemConfig(
        String file,
        Long size,
        Boolean iommu,
        @Json(name = "discard_writes") Boolean discardWrites,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id) {
}
