package dev.virtualghost.ch.model;


/**
 * The {@code NumaDistance} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code NumaDistance} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param destination the {@code destination} field (required)
 * @param distance the {@code distance} field (required)
 */
public record NumaDistance(
        Integer destination,
        Integer distance) {
}
