package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The body of {@code vm.resize-disk}: CH grows a disk's image file and tells the guest its new capacity.
 *
 * <p>Mirrors the {@code VmResizeDisk} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param id the disk's device id ({@link DiskConfig#id()})
 * @param desiredSize new disk size in bytes
 */
public record VmResizeDisk(
        String id, @Json(name = "desired_size") Long desiredSize) {}
