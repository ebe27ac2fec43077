package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The guest's real-time clock device.
 *
 * <p>Mirrors the {@code RtcConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one when absent
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 * @param iommu if true, the device sits behind the guest's virtual IOMMU; CH default false
 */
public record RtcConfig(
        String id,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        Boolean iommu) {}
