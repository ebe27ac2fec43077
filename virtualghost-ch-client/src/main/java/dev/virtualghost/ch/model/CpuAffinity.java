package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.List;

/**
 * Pins one vCPU thread to a set of host CPUs.
 *
 * <p>Mirrors the {@code CpuAffinity} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param vcpu the vCPU index (0-based)
 * @param hostCpus host CPU numbers the vCPU thread may run on
 */
public record CpuAffinity(
        Integer vcpu, @Json(name = "host_cpus") List<Integer> hostCpus) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param vcpu the vCPU index (0-based)
     * @param hostCpus host CPU numbers the vCPU thread may run on
     */
    public CpuAffinity {
        hostCpus = Copies.list(hostCpus);
    }
}
