package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code VmResizeDisk} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code VmResizeDisk} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param id disk identifier; null when absent
 * @param desiredSize desired disk size in bytes; null when absent
 */
public record VmResizeDisk(
        String id,
        @Json(name = "desired_size") Long desiredSize) {
}
