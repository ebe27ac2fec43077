package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code CpuTopology} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code CpuTopology} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param threadsPerCore the {@code threads_per_core} field; null when absent
 * @param coresPerDie the {@code cores_per_die} field; null when absent
 * @param diesPerPackage the {@code dies_per_package} field; null when absent
 * @param packages the {@code packages} field; null when absent
 */
public record CpuTopology(
        @Json(name = "threads_per_core") Integer threadsPerCore,
        @Json(name = "cores_per_die") Integer coresPerDie,
        @Json(name = "dies_per_package") Integer diesPerPackage,
        Integer packages) {
}
