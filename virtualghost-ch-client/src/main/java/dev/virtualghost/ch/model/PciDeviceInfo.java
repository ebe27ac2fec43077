package dev.virtualghost.ch.model;


/**
 * Information about a PCI device
 *
 * <p>Mirrors the {@code PciDeviceInfo} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param id the {@code id} field (required)
 * @param bdf the {@code bdf} field (required)
 */
public record PciDeviceInfo(
        String id,
        String bdf) {
}
