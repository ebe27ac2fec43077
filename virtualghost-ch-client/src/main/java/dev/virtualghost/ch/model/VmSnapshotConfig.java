package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The body of {@code vm.snapshot}: where CH writes the paused VM's state and memory.
 *
 * <p>Mirrors the {@code VmSnapshotConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param destinationUrl a {@code file://} URL of an existing directory CH writes the snapshot into
 */
public record VmSnapshotConfig(
        @Json(name = "destination_url") String destinationUrl) {}
