package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The CPU topology the guest sees; the product of the four must equal {@code maxVcpus}.
 *
 * <p>Mirrors the {@code CpuTopology} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param threadsPerCore hardware threads per core
 * @param coresPerDie cores per die
 * @param diesPerPackage dies per package (socket)
 * @param packages packages (sockets)
 */
public record CpuTopology(
        @Json(name = "threads_per_core") Integer threadsPerCore,
        @Json(name = "cores_per_die") Integer coresPerDie,
        @Json(name = "dies_per_package") Integer diesPerPackage,
        Integer packages) {}
