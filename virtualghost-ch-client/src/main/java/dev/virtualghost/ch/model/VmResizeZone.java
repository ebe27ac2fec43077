package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The body of {@code vm.resize-zone}: resizes one NUMA memory zone's hot-pluggable RAM.
 *
 * <p>Mirrors the {@code VmResizeZone} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param id the memory zone's id
 * @param desiredRam RAM wanted in that zone, in bytes
 */
public record VmResizeZone(
        String id, @Json(name = "desired_ram") Long desiredRam) {}
