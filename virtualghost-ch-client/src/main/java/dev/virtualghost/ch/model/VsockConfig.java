package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import java.util.Objects;

/**
 * The {@code VsockConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code VsockConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param cid Guest Vsock CID (required)
 * @param socket Path to UNIX domain socket, used to proxy vsock connections. (required)
 * @param iommu the {@code iommu} field; null when absent
 * @param pciSegment the {@code pci_segment} field; null when absent
 * @param pciDeviceId the {@code pci_device_id} field; null when absent
 * @param id the {@code id} field; null when absent
 */
public record VsockConfig(
        Long cid,
        String socket,
        Boolean iommu,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id) {

    /** A hybrid vsock device: guest CID (3 or more) and the host Unix socket CH proxies through. */
    public static VsockConfig of(long cid, String socket) {
        if (cid < 3) {
            throw new IllegalArgumentException("cid < 3: " + cid);
        }
        Objects.requireNonNull(socket, "socket == null");
        return new VsockConfig(cid, socket, null, null, null, null);
    }
}
