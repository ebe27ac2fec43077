package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.List;

/**
 * The guest's vCPUs: how many at boot, how many may be hot-plugged, topology, pinning and CPU features.
 *
 * <p>Mirrors the {@code CpusConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 * Build one with {@link #builder()}; change a copy with {@link #newBuilder()}.
 *
 * @param bootVcpus vCPUs online when the guest boots; CH default 1
 * @param maxVcpus vCPUs the guest can reach through {@code vm.resize} (hot-plug); at least {@code bootVcpus}; CH default {@code bootVcpus}
 * @param topology threads per core, cores per die, dies per package and packages the guest sees; CH derives a flat one when absent
 * @param kvmHyperv if true, CH exposes Hyper-V enlightenments (for Windows guests); CH default false
 * @param maxPhysBits maximum guest physical address width in bits; CH uses the host's when absent
 * @param nested if true, the guest may run its own VMs (nested virtualisation); CH default true
 * @param affinity host CPUs each vCPU thread is pinned to
 * @param features optional CPU features to expose (e.g. AMX on x86_64)
 * @param coreScheduling Linux core scheduling for vCPU threads (one of {@link CoreSchedulingMode}): which vCPUs may share a physical core
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

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param bootVcpus vCPUs online when the guest boots; CH default 1
     * @param maxVcpus vCPUs the guest can reach through {@code vm.resize} (hot-plug); at least {@code bootVcpus}; CH default {@code bootVcpus}
     * @param topology threads per core, cores per die, dies per package and packages the guest sees; CH derives a flat one when absent
     * @param kvmHyperv if true, CH exposes Hyper-V enlightenments (for Windows guests); CH default false
     * @param maxPhysBits maximum guest physical address width in bits; CH uses the host's when absent
     * @param nested if true, the guest may run its own VMs (nested virtualisation); CH default true
     * @param affinity host CPUs each vCPU thread is pinned to
     * @param features optional CPU features to expose (e.g. AMX on x86_64)
     * @param coreScheduling Linux core scheduling for vCPU threads (one of {@link CoreSchedulingMode}): which vCPUs may share a physical core
     */
    public CpusConfig {
        affinity = Copies.list(affinity);
    }

    /**
     * {@code n} boot vCPUs and the same maximum (no hot-plug).
     *
     * @param n vCPUs, at least 1
     * @return the config
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public static CpusConfig of(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n < 1: " + n);
        }
        return new CpusConfig(n, n, null, null, null, null, null, null, null);
    }

    /**
     * Returns an empty builder.
     *
     * @return a builder with every component absent
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding this config's values, to make a changed copy.
     *
     * @return a builder initialised from this record
     */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.bootVcpus = bootVcpus;
        b.maxVcpus = maxVcpus;
        b.topology = topology;
        b.kvmHyperv = kvmHyperv;
        b.maxPhysBits = maxPhysBits;
        b.nested = nested;
        b.affinity = affinity;
        b.features = features;
        b.coreScheduling = coreScheduling;
        return b;
    }

    /** Mutable builder for {@link CpusConfig}; not thread-safe. Unset components stay absent (CH's default). */
    public static final class Builder {
        private Integer bootVcpus;
        private Integer maxVcpus;
        private CpuTopology topology;
        private Boolean kvmHyperv;
        private Integer maxPhysBits;
        private Boolean nested;
        private List<CpuAffinity> affinity;
        private CpuFeatures features;
        private String coreScheduling;

        private Builder() {}

        /**
         * Sets {@code bootVcpus}.
         *
         * @param bootVcpus vCPUs online when the guest boots; CH default 1
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder bootVcpus(int bootVcpus) {
            if (bootVcpus <= 0) {
                throw new IllegalArgumentException("bootVcpus must be positive: " + bootVcpus);
            }
            this.bootVcpus = bootVcpus;
            return this;
        }

        /**
         * Sets {@code maxVcpus}.
         *
         * @param maxVcpus vCPUs the guest can reach through {@code vm.resize} (hot-plug); at least {@code bootVcpus}; CH default {@code bootVcpus}
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxVcpus(int maxVcpus) {
            if (maxVcpus <= 0) {
                throw new IllegalArgumentException("maxVcpus must be positive: " + maxVcpus);
            }
            this.maxVcpus = maxVcpus;
            return this;
        }

        /**
         * Sets {@code topology}.
         *
         * @param topology threads per core, cores per die, dies per package and packages the guest sees; CH derives a flat one when absent
         * @return this builder
         */
        public Builder topology(CpuTopology topology) {
            this.topology = topology;
            return this;
        }

        /**
         * Sets {@code kvmHyperv}.
         *
         * @param kvmHyperv if true, CH exposes Hyper-V enlightenments (for Windows guests); CH default false
         * @return this builder
         */
        public Builder kvmHyperv(boolean kvmHyperv) {
            this.kvmHyperv = kvmHyperv;
            return this;
        }

        /**
         * Sets {@code maxPhysBits}.
         *
         * @param maxPhysBits maximum guest physical address width in bits; CH uses the host's when absent
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxPhysBits(int maxPhysBits) {
            if (maxPhysBits <= 0) {
                throw new IllegalArgumentException("maxPhysBits must be positive: " + maxPhysBits);
            }
            this.maxPhysBits = maxPhysBits;
            return this;
        }

        /**
         * Sets {@code nested}.
         *
         * @param nested if true, the guest may run its own VMs (nested virtualisation); CH default true
         * @return this builder
         */
        public Builder nested(boolean nested) {
            this.nested = nested;
            return this;
        }

        /**
         * Sets {@code affinity}.
         *
         * @param affinity host CPUs each vCPU thread is pinned to
         * @return this builder
         */
        public Builder affinity(List<CpuAffinity> affinity) {
            this.affinity = affinity;
            return this;
        }

        /**
         * Sets {@code features}.
         *
         * @param features optional CPU features to expose (e.g. AMX on x86_64)
         * @return this builder
         */
        public Builder features(CpuFeatures features) {
            this.features = features;
            return this;
        }

        /**
         * Sets {@code coreScheduling}.
         *
         * @param coreScheduling Linux core scheduling for vCPU threads (one of {@link CoreSchedulingMode}): which vCPUs may share a physical core
         * @return this builder
         */
        public Builder coreScheduling(String coreScheduling) {
            this.coreScheduling = coreScheduling;
            return this;
        }

        /**
         * Builds the record.
         *
         * @return the config
         * @throws IllegalStateException if {@code bootVcpus} is not set
         */
        public CpusConfig build() {
            if (bootVcpus == null) {
                throw new IllegalStateException("CpusConfig needs bootVcpus");
            }
            return new CpusConfig(
                    bootVcpus,
                    maxVcpus == null ? bootVcpus : maxVcpus,
                    topology,
                    kvmHyperv,
                    maxPhysBits,
                    nested,
                    affinity,
                    features,
                    coreScheduling);
        }
    }
}
