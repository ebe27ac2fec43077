package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.Map;

/**
 * Virtual Machine information
 *
 * <p>Mirrors the {@code VmInfo} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param config the {@code config} field (required)
 * @param state the VM's state; {@link VmState#UNKNOWN} for a value a newer CH added
 * @param memoryActualSize the {@code memory_actual_size} field; null when absent
 * @param deviceTree the {@code device_tree} field; null when absent
 */
public record VmInfo(
        VmConfig config,
        VmState state,
        @Json(name = "memory_actual_size") Long memoryActualSize,
        @Json(name = "device_tree") Map<String, DeviceNode> deviceTree) {
    /** Copies the maps so the record cannot change; null (absent) stays null. */
    public VmInfo {
        deviceTree = Copies.map(deviceTree);
    }
}
