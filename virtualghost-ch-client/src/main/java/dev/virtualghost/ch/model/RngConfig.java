package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * A virtio-rng device feeding the guest's entropy pool from a host source.
 *
 * <p>Mirrors the {@code RngConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param id device id; CH makes one when absent
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 * @param iommu if true, the device sits behind the guest's virtual IOMMU (DMA remapped); CH default false
 * @param src host file CH reads entropy from; CH default {@code /dev/urandom}
 */
public record RngConfig(
        String id,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        Boolean iommu,
        String src) {}
