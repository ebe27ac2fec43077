package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code MemoryZoneConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code MemoryZoneConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param id the {@code id} field (required)
 * @param size the {@code size} field (required)
 * @param file the {@code file} field; null when absent
 * @param mergeable the {@code mergeable} field; null when absent
 * @param shared the {@code shared} field; null when absent
 * @param hugepages the {@code hugepages} field; null when absent
 * @param hugepageSize the {@code hugepage_size} field; null when absent
 * @param hostNumaNode the {@code host_numa_node} field; null when absent
 * @param hotplugSize the {@code hotplug_size} field; null when absent
 * @param hotpluggedSize the {@code hotplugged_size} field; null when absent
 * @param prefault the {@code prefault} field; null when absent
 * @param reserve the {@code reserve} field; null when absent
 */
public record MemoryZoneConfig(
        String id,
        Long size,
        String file,
        Boolean mergeable,
        Boolean shared,
        Boolean hugepages,
        @Json(name = "hugepage_size") Long hugepageSize,
        @Json(name = "host_numa_node") Integer hostNumaNode,
        @Json(name = "hotplug_size") Long hotplugSize,
        @Json(name = "hotplugged_size") Long hotpluggedSize,
        Boolean prefault,
        Boolean reserve) {
}
