package dev.virtualghost.ch.model;

/**
 * What CH answers to an {@code add-*} device call: where the new device sits on the guest's PCI bus.
 *
 * <p>Mirrors the {@code PciDeviceInfo} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param id the device id (the one asked for, or the one CH made)
 * @param bdf the device's guest PCI address, {@code SSSS:BB:DD.F}
 */
public record PciDeviceInfo(String id, String bdf) {}
