package dev.virtualghost.ch.model;


/**
 * The {@code SerialConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code SerialConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param file the {@code file} field; null when absent
 * @param socket the {@code socket} field; null when absent
 * @param mode the {@code mode} field (required)
 */
public record SerialConfig(
        String file,
        String socket,
        String mode) {
}
