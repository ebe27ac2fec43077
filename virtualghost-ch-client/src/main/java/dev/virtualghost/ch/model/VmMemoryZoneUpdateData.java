package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * A new host NUMA binding for one memory zone, at restore or migration.
 *
 * <p>Mirrors the {@code VmMemoryZoneUpdateData} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param id the memory zone's id; required
 * @param hostNumaNode host NUMA node to bind the zone's memory to
 */
public record VmMemoryZoneUpdateData(
        String id, @Json(name = "host_numa_node") Long hostNumaNode) {}
