package dev.virtualghost.ch.model;

/**
 * The body of {@code vm.remove-device}: CH unplugs the device (the guest must cooperate, through ACPI) and frees it.
 *
 * <p>Mirrors the {@code VmRemoveDevice} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param id the device id, as reported by the {@code add-*} call or {@code vm.info}
 */
public record VmRemoveDevice(String id) {}
