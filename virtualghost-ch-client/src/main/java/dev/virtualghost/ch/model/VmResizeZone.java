package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code VmResizeZone} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code VmResizeZone} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param id the {@code id} field; null when absent
 * @param desiredRam desired memory zone size in bytes; null when absent
 */
public record VmResizeZone(
        String id,
        @Json(name = "desired_ram") Long desiredRam) {
}
