package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;
import java.util.Objects;

/**
 * The {@code DiskConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code DiskConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param path the {@code path} field; null when absent
 * @param readonly the {@code readonly} field; null when absent
 * @param direct the {@code direct} field; null when absent
 * @param iommu the {@code iommu} field; null when absent
 * @param numQueues the {@code num_queues} field; null when absent
 * @param queueSize the {@code queue_size} field; null when absent
 * @param vhostUser the {@code vhost_user} field; null when absent
 * @param vhostSocket the {@code vhost_socket} field; null when absent
 * @param rateLimiterConfig the {@code rate_limiter_config} field; null when absent
 * @param pciSegment the {@code pci_segment} field; null when absent
 * @param pciDeviceId the {@code pci_device_id} field; null when absent
 * @param id the {@code id} field; null when absent
 * @param serial the {@code serial} field; null when absent
 * @param rateLimitGroup the {@code rate_limit_group} field; null when absent
 * @param queueAffinity the {@code queue_affinity} field; null when absent
 * @param backingFiles the {@code backing_files} field; null when absent
 * @param sparse the {@code sparse} field; null when absent
 * @param imageType the {@code image_type} field; null when absent
 * @param lockGranularity the {@code lock_granularity} field; null when absent
 */
public record DiskConfig(
        String path,
        Boolean readonly,
        Boolean direct,
        Boolean iommu,
        @Json(name = "num_queues") Integer numQueues,
        @Json(name = "queue_size") Integer queueSize,
        @Json(name = "vhost_user") Boolean vhostUser,
        @Json(name = "vhost_socket") String vhostSocket,
        @Json(name = "rate_limiter_config") RateLimiterConfig rateLimiterConfig,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id,
        String serial,
        @Json(name = "rate_limit_group") String rateLimitGroup,
        @Json(name = "queue_affinity") List<VirtQueueAffinity> queueAffinity,
        @Json(name = "backing_files") Boolean backingFiles,
        Boolean sparse,
        @Json(name = "image_type") String imageType,
        @Json(name = "lock_granularity") String lockGranularity) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public DiskConfig {
        queueAffinity = Copies.list(queueAffinity);
    }

    /** A disk backed by the image at {@code path}, everything else defaulted by CH. */
    public static DiskConfig ofPath(String path) {
        Objects.requireNonNull(path, "path == null");
        return new DiskConfig(path, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
