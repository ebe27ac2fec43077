package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * One guest memory zone (used with {@link MemoryConfig#size()} 0): its own size and host backing, attached to a guest NUMA node through {@link NumaConfig#memoryZones()}. Sizes are in bytes.
 *
 * <p>Mirrors the {@code MemoryZoneConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param id the zone's id, which NUMA nodes and {@code vm.resize-zone} refer to; required
 * @param size the zone's RAM at boot, in bytes; required
 * @param file host file (or hugetlbfs/tmpfs path) backing the zone's RAM; anonymous memory when absent
 * @param mergeable if true, the host's KSM may merge identical pages of the zone; CH default false
 * @param shared if true, CH maps the zone {@code MAP_SHARED} (needed by vhost-user devices); CH default false
 * @param hugepages if true, CH backs the zone with huge pages; CH default false
 * @param hugepageSize huge page size in bytes; with {@code hugepages}
 * @param hostNumaNode host NUMA node CH binds the zone's memory to
 * @param hotplugSize RAM that may later be hot-plugged into this zone, in bytes
 * @param hotpluggedSize RAM already hot-plugged into this zone, in bytes
 * @param prefault if true, CH touches the zone's memory at start; CH default false
 * @param reserve if true, CH reserves swap space for the zone, so the host cannot over-commit it; CH default false
 */
public record MemoryZoneConfig(
        String id,
        Long size,
        String file,
        Boolean mergeable,
        Boolean shared,
        Boolean hugepages,
        @Json(name = "hugepage_size") Long hugepageSize,
        @Json(name = "host_numa_node") Integer hostNumaNode,
        @Json(name = "hotplug_size") Long hotplugSize,
        @Json(name = "hotplugged_size") Long hotpluggedSize,
        Boolean prefault,
        Boolean reserve) {}
