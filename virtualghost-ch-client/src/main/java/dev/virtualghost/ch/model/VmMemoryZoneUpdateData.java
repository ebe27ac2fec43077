package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code VmMemoryZoneUpdateData} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code VmMemoryZoneUpdateData} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param id the {@code id} field (required)
 * @param hostNumaNode the {@code host_numa_node} field (required)
 */
public record VmMemoryZoneUpdateData(
        String id,
        @Json(name = "host_numa_node") Long hostNumaNode) {
}
