package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;
import java.util.Map;

/**
 * The {@code DeviceNode} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code DeviceNode} schema of the CH API. Immutable but for the free-form resource maps inside {@code resources}; null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param id the {@code id} field; null when absent
 * @param resources the {@code resources} field; null when absent
 * @param children the {@code children} field; null when absent
 * @param pciBdf the {@code pci_bdf} field; null when absent
 */
public record DeviceNode(
        String id,
        List<Map<String, Object>> resources,
        List<String> children,
        @Json(name = "pci_bdf") String pciBdf) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public DeviceNode {
        resources = Copies.list(resources);
        children = Copies.list(children);
    }
}
