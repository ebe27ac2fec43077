package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;

/**
 * The {@code RestoreConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code RestoreConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param sourceUrl the {@code source_url} field (required)
 * @param prefault the {@code prefault} field; null when absent
 * @param memoryRestoreMode the {@code memory_restore_mode} field; null when absent
 * @param resume the {@code resume} field; null when absent
 * @param zoneUpdates the {@code zone_updates} field; null when absent
 */
public record RestoreConfig(
        @Json(name = "source_url") String sourceUrl,
        Boolean prefault,
        @Json(name = "memory_restore_mode") String memoryRestoreMode,
        Boolean resume,
        @Json(name = "zone_updates") List<VmMemoryZoneUpdateData> zoneUpdates) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public RestoreConfig {
        zoneUpdates = Copies.list(zoneUpdates);
    }
}
