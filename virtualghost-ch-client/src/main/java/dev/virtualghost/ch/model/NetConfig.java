package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code NetConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code NetConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param tap the {@code tap} field; null when absent
 * @param ip IPv4 or IPv6 address; null when absent
 * @param mask Must be a valid IPv4 netmask if ip is an IPv4 address or a valid IPv6 netmask if ip is an IPv6 address.; null when absent
 * @param mac the {@code mac} field; null when absent
 * @param hostMac the {@code host_mac} field; null when absent
 * @param mtu the {@code mtu} field; null when absent
 * @param iommu the {@code iommu} field; null when absent
 * @param numQueues the {@code num_queues} field; null when absent
 * @param queueSize the {@code queue_size} field; null when absent
 * @param vhostUser the {@code vhost_user} field; null when absent
 * @param vhostSocket the {@code vhost_socket} field; null when absent
 * @param vhostMode the {@code vhost_mode} field; null when absent
 * @param id the {@code id} field; null when absent
 * @param pciSegment the {@code pci_segment} field; null when absent
 * @param pciDeviceId the {@code pci_device_id} field; null when absent
 * @param rateLimiterConfig the {@code rate_limiter_config} field; null when absent
 * @param offloadTso the {@code offload_tso} field; null when absent
 * @param offloadUfo the {@code offload_ufo} field; null when absent
 * @param offloadCsum the {@code offload_csum} field; null when absent
 */
public record NetConfig(
        String tap,
        String ip,
        String mask,
        String mac,
        @Json(name = "host_mac") String hostMac,
        Integer mtu,
        Boolean iommu,
        @Json(name = "num_queues") Integer numQueues,
        @Json(name = "queue_size") Integer queueSize,
        @Json(name = "vhost_user") Boolean vhostUser,
        @Json(name = "vhost_socket") String vhostSocket,
        @Json(name = "vhost_mode") String vhostMode,
        String id,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        @Json(name = "rate_limiter_config") RateLimiterConfig rateLimiterConfig,
        @Json(name = "offload_tso") Boolean offloadTso,
        @Json(name = "offload_ufo") Boolean offloadUfo,
        @Json(name = "offload_csum") Boolean offloadCsum) {
}
