package dev.virtualghost.launcher.testing;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.launcher.LaunchSpec;
import dev.virtualghost.launcher.Launcher;
import dev.virtualghost.launcher.Session;
import dev.virtualghost.launcher.steps.VmBootStep;
import dev.virtualghost.launcher.steps.VmCreateStep;
import dev.virtualghost.vfio.FakeSysfs;
import java.nio.file.Path;

/**
 * The victim of the crash-recovery test, run as its own JVM: binds the GPU of a {@link FakeSysfs} tree (this JVM
 * plays the kernel for its own writes) and starts the real VMM, prints {@code READY}, then waits to be killed.
 * {@code vm.create} is left out because the real VMM refuses a VFIO device on a host without /dev/vfio.
 *
 * <p>Arguments: sysfs root, runtime root, cloud-hypervisor binary, kernel, GPU address.
 */
public final class CrashChild {
    private CrashChild() {}

    /** Runs the victim. */
    public static void main(String[] args) throws Exception {
        FakeSysfs kernel = new FakeSysfs(Path.of(args[0]))
                .defaultDriver("0000:01:00.0", "nvidia")
                .defaultDriver("0000:01:00.1", "snd_hda_intel");
        LaunchSpec spec = LaunchSpec.builder()
                .sysRoot(Path.of(args[0]))
                .runtimeRoot(Path.of(args[1]))
                .chBinary(Path.of(args[2]))
                .kernel(Path.of(args[3]))
                .gpu(PciAddress.parse(args[4]))
                .memoryBytes(64L << 20)
                .vcpus(1)
                .build();
        Session session = Launcher.builder()
                .spec(spec)
                .sysfsWriter(kernel)
                .customize(f -> f.remove(VmCreateStep.NAME).remove(VmBootStep.NAME))
                .build()
                .start();
        System.out.println("READY vmm " + session.vmm().handle().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
