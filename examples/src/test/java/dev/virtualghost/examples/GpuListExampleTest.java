package dev.virtualghost.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.vfio.FakeSysfs;
import dev.virtualghost.vfio.PciBus;
import dev.virtualghost.vfio.PciDevice;
import dev.virtualghost.vfio.Rigs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GpuListExample} on this machine's real /sys (read-only; it has no GPU, so the listing says so) and on
 * {@link FakeSysfs} trees laid out as the kernel's sysfs: a desktop whose NVIDIA GPU shares IOMMU group 12 with its
 * HDMI audio and a root port, and a GPU already handed to vfio-pci.
 */
class GpuListExampleTest {
    private final Output out = new Output();
    private final Output err = new Output();

    @Test
    void listsThisMachinesRealSysfs() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/bus/pci/devices")), "no PCI bus in /sys here");
        int gpus = PciBus.system().gpus().size();

        assertThat(GpuListExample.run(new String[0], out.stream(), err.stream()))
                .isZero();

        assertThat(err.text()).isEmpty();
        if (gpus == 0) {
            assertThat(out.text()).isEqualTo("no GPUs (display-class PCI devices) under /sys\n");
        } else {
            assertThat(out.text().lines().filter(l -> l.startsWith("GPU "))).hasSize(gpus);
        }
    }

    @Test
    void showsCompanionsGroupsAndWhatBlocksPassthrough(@TempDir Path tmp) throws Exception {
        FakeSysfs sys = Rigs.desktop(tmp);

        assertThat(GpuListExample.run(new String[] {"--sys", sys.root().toString()}, out.stream(), err.stream()))
                .isZero();

        assertThat(err.text()).isEmpty();
        String text = out.text();
        assertThat(text.lines().filter(l -> l.startsWith("GPU "))).hasSize(2);
        assertThat(text)
                .containsSubsequence(
                        "GPU " + Rigs.IGPU,
                        "driver i915 (boot display)",
                        "IOMMU group 2:",
                        "passthrough: blocked",
                        "blocker: " + Rigs.IGPU,
                        "GPU " + Rigs.GPU,
                        "driver nvidia",
                        "companion " + Rigs.AUDIO,
                        "driver snd_hda_intel",
                        "IOMMU group 12:",
                        Rigs.BRIDGE,
                        "driver pcieport (bridge, stays with the host)",
                        "passthrough: blocked",
                        "blocker: " + Rigs.GPU,
                        "is bound to nvidia",
                        "blocker: " + Rigs.AUDIO,
                        "is bound to snd_hda_intel");
        assertThat(text).doesNotContain("blocker: " + Rigs.BRIDGE).doesNotContain(Rigs.NIC);
    }

    @Test
    void aGroupOnVfioIsViableAndAGpuWithoutGroupSaysWhy(@TempDir Path tmp) throws Exception {
        FakeSysfs sys = new FakeSysfs(tmp.resolve("sys"));
        sys.driver(PciDevice.VFIO_PCI);
        sys.device("0000:01:00.0", null, 0x10de, 0x2684, 0x030000, PciDevice.VFIO_PCI, 5);
        sys.device("0000:01:00.1", null, 0x10de, 0x22ba, 0x040300, null, 5);
        sys.device("0000:02:00.0", null, 0x1002, 0x744c, 0x030000, "amdgpu", -1);

        assertThat(GpuListExample.run(new String[] {"--sys", sys.root().toString()}, out.stream(), err.stream()))
                .isZero();

        assertThat(out.text())
                .containsSubsequence(
                        "GPU 0000:01:00.0",
                        "driver vfio-pci",
                        "companion 0000:01:00.1",
                        "driver none",
                        "IOMMU group 5:",
                        "passthrough: viable",
                        "GPU 0000:02:00.0",
                        "driver amdgpu",
                        "no IOMMU group: enable the IOMMU");
    }

    @Test
    void aTreeWithoutAPciBusIsOneErrorLine(@TempDir Path tmp) {
        assertThat(GpuListExample.run(new String[] {"--sys", tmp.toString()}, out.stream(), err.stream()))
                .isEqualTo(1);
        assertThat(err.text()).hasLineCount(1).startsWith("error: " + tmp + " has no bus/pci/devices");
        assertThat(out.text()).isEmpty();
    }

    @Test
    void aWrongCommandLinePrintsTheUsage() {
        assertThat(GpuListExample.run(new String[] {"--sys"}, out.stream(), err.stream()))
                .isEqualTo(2);
        assertThat(err.text()).isEqualTo("usage: GpuListExample [--sys DIR]\n");
    }
}
