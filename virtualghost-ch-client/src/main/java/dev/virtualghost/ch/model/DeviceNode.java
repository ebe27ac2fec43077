package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.List;
import java.util.Map;

/**
 * One node of CH's device tree, as {@code vm.info} reports it.
 *
 * <p>Mirrors the {@code DeviceNode} schema of the CH API. Immutable but for the free-form resource maps inside {@code resources}; null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param id the device's id
 * @param resources the resources CH gave the device (PCI BARs, MMIO ranges, interrupts), each as CH's JSON object
 * @param children ids of the devices below this one in CH's device tree
 * @param pciBdf the device's guest PCI address, for PCI devices
 */
public record DeviceNode(
        String id,
        List<Map<String, Object>> resources,
        List<String> children,
        @Json(name = "pci_bdf") String pciBdf) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param id the device's id
     * @param resources the resources CH gave the device (PCI BARs, MMIO ranges, interrupts), each as CH's JSON object
     * @param children ids of the devices below this one in CH's device tree
     * @param pciBdf the device's guest PCI address, for PCI devices
     */
    public DeviceNode {
        resources = Copies.list(resources);
        children = Copies.list(children);
    }
}
