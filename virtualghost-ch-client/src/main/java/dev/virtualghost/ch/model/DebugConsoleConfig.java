package dev.virtualghost.ch.model;


/**
 * The {@code DebugConsoleConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code DebugConsoleConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param file the {@code file} field; null when absent
 * @param mode the {@code mode} field (required)
 * @param iobase the {@code iobase} field; null when absent
 */
public record DebugConsoleConfig(
        String file,
        String mode,
        Integer iobase) {
}
