package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * Settings of one PCI segment (domain) of the guest: how the MMIO apertures are shared between segments.
 *
 * <p>Mirrors the {@code PciSegmentConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param pciSegment the segment's number; required
 * @param mmio32ApertureWeight this segment's share of the 32-bit MMIO space, relative to the other segments' weights; CH default 1
 * @param mmio64ApertureWeight this segment's share of the 64-bit MMIO space (where large BARs, e.g. a GPU's, go), relative to the other segments' weights; CH default 1
 */
public record PciSegmentConfig(
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "mmio32_aperture_weight") Integer mmio32ApertureWeight,
        @Json(name = "mmio64_aperture_weight") Integer mmio64ApertureWeight) {}
