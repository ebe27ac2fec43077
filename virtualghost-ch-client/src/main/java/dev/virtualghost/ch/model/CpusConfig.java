package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;
import java.util.Objects;

/**
 * The {@code CpusConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code CpusConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param bootVcpus the {@code boot_vcpus} field (required)
 * @param maxVcpus the {@code max_vcpus} field (required)
 * @param topology the {@code topology} field; null when absent
 * @param kvmHyperv the {@code kvm_hyperv} field; null when absent
 * @param maxPhysBits the {@code max_phys_bits} field; null when absent
 * @param nested the {@code nested} field; null when absent
 * @param affinity the {@code affinity} field; null when absent
 * @param features the {@code features} field; null when absent
 * @param coreScheduling the {@code core_scheduling} field; null when absent
 */
public record CpusConfig(
        @Json(name = "boot_vcpus") Integer bootVcpus,
        @Json(name = "max_vcpus") Integer maxVcpus,
        CpuTopology topology,
        @Json(name = "kvm_hyperv") Boolean kvmHyperv,
        @Json(name = "max_phys_bits") Integer maxPhysBits,
        Boolean nested,
        List<CpuAffinity> affinity,
        CpuFeatures features,
        @Json(name = "core_scheduling") String coreScheduling) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public CpusConfig {
        affinity = Copies.list(affinity);
    }

    /** {@code n} boot vCPUs and the same maximum. */
    public static CpusConfig of(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n < 1: " + n);
        }
        return new CpusConfig(n, n, null, null, null, null, null, null, null);
    }
}
