package dev.virtualghost.ch.model;


/**
 * The {@code TpmConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code TpmConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param socket the {@code socket} field (required)
 */
public record TpmConfig(
        String socket) {
}
