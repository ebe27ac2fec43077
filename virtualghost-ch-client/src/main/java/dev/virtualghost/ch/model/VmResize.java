package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code VmResize} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code VmResize} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param desiredVcpus the {@code desired_vcpus} field; null when absent
 * @param desiredRam desired memory ram in bytes; null when absent
 * @param desiredBalloon desired balloon size in bytes; null when absent
 */
public record VmResize(
        @Json(name = "desired_vcpus") Integer desiredVcpus,
        @Json(name = "desired_ram") Long desiredRam,
        @Json(name = "desired_balloon") Long desiredBalloon) {
}
