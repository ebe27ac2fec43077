package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * A vDPA device: a hardware (or software) virtio data path the host kernel exposes as {@code /dev/vhost-vdpa-N}.
 *
 * <p>Mirrors the {@code VdpaConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param path the host {@code /dev/vhost-vdpa-N} device; required
 * @param numQueues number of queues; required
 * @param iommu if true, the device sits behind the guest's virtual IOMMU; CH default false
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one when absent
 */
public record VdpaConfig(
        String path,
        @Json(name = "num_queues") Integer numQueues,
        Boolean iommu,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id) {}
