package dev.virtualghost.ch.model;


/**
 * The {@code CpuFeatures} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code CpuFeatures} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param amx the {@code amx} field; null when absent
 */
public record CpuFeatures(
        Boolean amx) {
}
