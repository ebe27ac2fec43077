package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code VmCoredumpData} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code VmCoredumpData} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param destinationUrl the {@code destination_url} field; null when absent
 */
public record VmCoredumpData(
        @Json(name = "destination_url") String destinationUrl) {
}
