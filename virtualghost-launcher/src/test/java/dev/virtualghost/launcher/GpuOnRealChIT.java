package dev.virtualghost.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.ch.testkit.CloudHypervisorBinary;
import dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor;
import dev.virtualghost.launcher.steps.VmCreateStep;
import dev.virtualghost.launcher.testing.Guests;
import dev.virtualghost.launcher.testing.Leaks;
import dev.virtualghost.vfio.FakeSysfs;
import dev.virtualghost.vfio.Rigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --gpu} with a FakeSysfs GPU against the real VMM: this host has no /dev/vfio, so CH refuses the VFIO
 * device; the launch fails naming CH's error chain, and the GPU and its audio function are back on their drivers
 * with nothing left behind.
 */
@RequiresCloudHypervisor
class GpuOnRealChIT {
    @TempDir
    Path tmp;

    @Test
    void theRealVmmRefusesTheVfioDeviceAndTheGpuIsRestored() throws Exception {
        Path ch = CloudHypervisorBinary.find().orElseThrow();
        FakeSysfs fs = Rigs.desktop(tmp);
        Path root = Files.createDirectory(tmp.resolve("rt"));
        Path kernel = Guests.poweringOff(tmp, "hi");
        List<String> steps = new ArrayList<>();
        Launcher launcher = Launcher.builder()
                .spec(LaunchSpec.builder()
                        .chBinary(ch)
                        .kernel(kernel)
                        .memoryBytes(64L << 20)
                        .vcpus(1)
                        .gpu(PciAddress.parse(Rigs.GPU))
                        .sysRoot(fs.root())
                        .runtimeRoot(root)
                        .build())
                .sysfsWriter(fs)
                .listener(new LaunchListener() {
                    @Override
                    public void stepSucceeded(String step, java.time.Duration took) {
                        steps.add(step);
                    }
                })
                .build();

        assertThatThrownBy(launcher::start)
                .isInstanceOf(FlowException.class)
                .satisfies(e -> assertThat(((FlowException) e).step()).isIn(VmCreateStep.NAME, "vm.boot"))
                .hasMessageContaining("VFIO");
        assertThat(steps).contains("gpu.bind", "vmm.spawn");
        assertThat(fs.driverOf(Rigs.GPU)).isEqualTo("nvidia");
        assertThat(fs.driverOf(Rigs.AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(fs.overrideOf(Rigs.GPU)).isEqualTo("(null)");
        Leaks.assertNothingLeftIn(root);
        Leaks.assertNoVmmUnder(root);
    }
}
