package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code PciSegmentConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code PciSegmentConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param pciSegment the {@code pci_segment} field (required)
 * @param mmio32ApertureWeight the {@code mmio32_aperture_weight} field; null when absent
 * @param mmio64ApertureWeight the {@code mmio64_aperture_weight} field; null when absent
 */
public record PciSegmentConfig(
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "mmio32_aperture_weight") Integer mmio32ApertureWeight,
        @Json(name = "mmio64_aperture_weight") Integer mmio64ApertureWeight) {
}
