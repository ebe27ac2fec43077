package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.Map;

/**
 * Virtual Machine information
 *
 * <p>Mirrors the {@code VmInfo} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param config the VM's configuration as CH holds it now: the {@code vm.create} config with CH's defaults filled
 *     in and hot-plugged devices added (required)
 * @param state the VM's state; {@link VmState#UNKNOWN} for a value a newer CH added
 * @param memoryActualSize guest RAM in bytes as the guest can use it: the configured size (with hot-plugged memory)
 *     minus what the balloon currently holds; null when absent
 * @param deviceTree every device CH created, keyed by device id (e.g. {@code _disk0}); null when absent (before
 *     {@code vm.boot}, CH has no devices yet)
 */
public record VmInfo(
        VmConfig config,
        VmState state,
        @Json(name = "memory_actual_size") Long memoryActualSize,
        @Json(name = "device_tree") Map<String, DeviceNode> deviceTree) {
    /**
     * Copies the maps so the record cannot change; null (absent) stays null.
     *
     * @param config the VM's configuration as CH holds it now
     * @param state the VM's state
     * @param memoryActualSize guest RAM in bytes minus the balloon; null when absent
     * @param deviceTree every device CH created, keyed by device id; copied; null when absent
     */
    public VmInfo {
        deviceTree = Copies.map(deviceTree);
    }
}
