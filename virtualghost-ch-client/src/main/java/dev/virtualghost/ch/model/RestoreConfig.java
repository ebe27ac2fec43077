package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.List;

/**
 * The body of {@code vm.restore}: CH rebuilds a VM from a snapshot directory (into a VMM without a VM).
 *
 * <p>Mirrors the {@code RestoreConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param sourceUrl a {@code file://} URL of the snapshot directory {@code vm.snapshot} wrote; required
 * @param prefault if true, CH reads all guest memory in at restore instead of on first touch
 * @param memoryRestoreMode how guest memory comes back, one of {@link MemoryRestoreMode}: {@code Copy} (read it all) or {@code OnDemand} (fault pages in from the snapshot, through userfaultfd)
 * @param resume if true, CH resumes the VM right after restoring; otherwise it stays paused
 * @param zoneUpdates per memory zone, a new host NUMA node to bind it to
 */
public record RestoreConfig(
        @Json(name = "source_url") String sourceUrl,
        Boolean prefault,
        @Json(name = "memory_restore_mode") String memoryRestoreMode,
        Boolean resume,
        @Json(name = "zone_updates") List<VmMemoryZoneUpdateData> zoneUpdates) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param sourceUrl a {@code file://} URL of the snapshot directory {@code vm.snapshot} wrote; required
     * @param prefault if true, CH reads all guest memory in at restore instead of on first touch
     * @param memoryRestoreMode how guest memory comes back, one of {@link MemoryRestoreMode}: {@code Copy} (read it all) or {@code OnDemand} (fault pages in from the snapshot, through userfaultfd)
     * @param resume if true, CH resumes the VM right after restoring; otherwise it stays paused
     * @param zoneUpdates per memory zone, a new host NUMA node to bind it to
     */
    public RestoreConfig {
        zoneUpdates = Copies.list(zoneUpdates);
    }
}
