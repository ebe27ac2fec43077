package dev.virtualghost.ch.model;


/**
 * The {@code VmRemoveDevice} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code VmRemoveDevice} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param id the {@code id} field; null when absent
 */
public record VmRemoveDevice(
        String id) {
}
