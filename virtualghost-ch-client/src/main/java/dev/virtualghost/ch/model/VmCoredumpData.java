package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The body of {@code vm.coredump}: CH writes an ELF core dump of the paused guest.
 *
 * <p>Mirrors the {@code VmCoredumpData} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param destinationUrl a {@code file://} URL of the file CH writes the dump to
 */
public record VmCoredumpData(@Json(name = "destination_url") String destinationUrl) {}
