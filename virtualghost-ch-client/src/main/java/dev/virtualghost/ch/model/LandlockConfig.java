package dev.virtualghost.ch.model;


/**
 * The {@code LandlockConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code LandlockConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param path the {@code path} field (required)
 * @param access the {@code access} field (required)
 */
public record LandlockConfig(
        String path,
        String access) {
}
