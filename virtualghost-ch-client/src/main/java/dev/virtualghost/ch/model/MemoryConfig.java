package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;
import java.util.Objects;

/**
 * The {@code MemoryConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code MemoryConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param size the {@code size} field (required)
 * @param hotplugSize the {@code hotplug_size} field; null when absent
 * @param hotpluggedSize the {@code hotplugged_size} field; null when absent
 * @param mergeable the {@code mergeable} field; null when absent
 * @param hotplugMethod the {@code hotplug_method} field; null when absent
 * @param shared the {@code shared} field; null when absent
 * @param hugepages the {@code hugepages} field; null when absent
 * @param hugepageSize the {@code hugepage_size} field; null when absent
 * @param prefault the {@code prefault} field; null when absent
 * @param reserve the {@code reserve} field; null when absent
 * @param thp the {@code thp} field; null when absent
 * @param zones the {@code zones} field; null when absent
 */
public record MemoryConfig(
        Long size,
        @Json(name = "hotplug_size") Long hotplugSize,
        @Json(name = "hotplugged_size") Long hotpluggedSize,
        Boolean mergeable,
        @Json(name = "hotplug_method") String hotplugMethod,
        Boolean shared,
        Boolean hugepages,
        @Json(name = "hugepage_size") Long hugepageSize,
        Boolean prefault,
        Boolean reserve,
        Boolean thp,
        List<MemoryZoneConfig> zones) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public MemoryConfig {
        zones = Copies.list(zones);
    }

    /** Guest RAM of {@code bytes}, everything else defaulted by CH. */
    public static MemoryConfig ofSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes <= 0: " + bytes);
        }
        return new MemoryConfig(bytes, null, null, null, null, null, null, null, null, null, null, null);
    }
}
