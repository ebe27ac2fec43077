package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The body of {@code vm.resize}: CH hot-plugs or unplugs vCPUs and RAM, or inflates/deflates the balloon, to reach the desired values.
 *
 * <p>Mirrors the {@code VmResize} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param desiredVcpus vCPUs wanted online, at most {@link CpusConfig#maxVcpus()}
 * @param desiredRam guest RAM wanted, in bytes, within boot size plus {@link MemoryConfig#hotplugSize()}
 * @param desiredBalloon balloon size wanted, in bytes
 */
public record VmResize(
        @Json(name = "desired_vcpus") Integer desiredVcpus,
        @Json(name = "desired_ram") Long desiredRam,
        @Json(name = "desired_balloon") Long desiredBalloon) {}
