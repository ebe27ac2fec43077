package dev.virtualghost.ch.testkit;

import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor;

/**
 * The CH contract against the real {@code cloud-hypervisor} ({@link CloudHypervisorBinary}), booting the
 * {@link PvhTestGuest} as the kernel.
 */
@RequiresCloudHypervisor
class RealChContractIT extends ChApiContract {
    @Override
    protected ChProcess.Builder vmm() {
        return ChProcess.builder().binary(CloudHypervisorBinary.find().orElseThrow());
    }

    /** The reference host's PVM-backed KVM cannot give the nested vCPU state CH's snapshot reads. */
    @Override
    protected boolean snapshotWorksHere() {
        return false;
    }
}
