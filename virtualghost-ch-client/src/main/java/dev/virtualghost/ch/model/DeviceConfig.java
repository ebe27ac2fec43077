package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;
import java.util.Objects;

/**
 * The {@code DeviceConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code DeviceConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param path Sysfs path of the VFIO device. Exactly one of `path` or an externally-opened cdev FD must be supplied; an FD is passed out of band via SCM_RIGHTS on the UNIX domain socket, never in this body.; null when absent
 * @param iommu the {@code iommu} field; null when absent
 * @param pciSegment the {@code pci_segment} field; null when absent
 * @param pciDeviceId the {@code pci_device_id} field; null when absent
 * @param id the {@code id} field; null when absent
 * @param xNvGpudirectClique the {@code x_nv_gpudirect_clique} field; null when absent
 * @param xExcludeMmapBars the {@code x_exclude_mmap_bars} field; null when absent
 */
public record DeviceConfig(
        String path,
        Boolean iommu,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id,
        @Json(name = "x_nv_gpudirect_clique") Integer xNvGpudirectClique,
        @Json(name = "x_exclude_mmap_bars") List<Long> xExcludeMmapBars) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public DeviceConfig {
        xExcludeMmapBars = Copies.list(xExcludeMmapBars);
    }

    /** A VFIO device by its sysfs path, e.g. {@code /sys/bus/pci/devices/0000:01:00.0/}, with a device id. */
    public static DeviceConfig ofPath(String path, String id) {
        Objects.requireNonNull(path, "path == null");
        return new DeviceConfig(path, null, null, null, id, null, null);
    }
}
