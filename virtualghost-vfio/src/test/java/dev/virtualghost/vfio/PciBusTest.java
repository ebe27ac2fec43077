package dev.virtualghost.vfio;

import static dev.virtualghost.vfio.Rigs.AUDIO;
import static dev.virtualghost.vfio.Rigs.BRIDGE;
import static dev.virtualghost.vfio.Rigs.GPU;
import static dev.virtualghost.vfio.Rigs.IGPU;
import static dev.virtualghost.vfio.Rigs.NIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.PciAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery and IOMMU group verdicts over a {@link FakeSysfs} laid out like the kernel's sysfs. */
class PciBusTest {
    @TempDir
    Path tmp;

    @Test
    void discoversGpusWithCompanionsAndNames() throws Exception {
        FakeSysfs fs = Rigs.desktop(tmp);
        PciBus bus = PciBus.at(fs.root(), Rigs.ids(tmp));

        assertThat(bus.devices())
                .extracting(d -> d.address().toString())
                .containsExactly(BRIDGE, IGPU, NIC, GPU, AUDIO);
        assertThat(bus.gpus()).hasSize(2);
        Gpu nvidia = bus.gpus().stream()
                .filter(g -> g.display().vendorId() == 0x10de)
                .findFirst()
                .orElseThrow();
        assertThat(nvidia.display().name()).isEqualTo("NVIDIA Corporation AD102 [GeForce RTX 4090]");
        assertThat(nvidia.companions())
                .extracting(PciDevice::label)
                .containsExactly(AUDIO + " (NVIDIA Corporation AD102 High Definition Audio Controller)");
        assertThat(nvidia.functions()).hasSize(2);

        PciDevice gpu = nvidia.display();
        assertThat(gpu.ids()).isEqualTo("10de:2684");
        assertThat(gpu.classCode()).isEqualTo(0x030000);
        assertThat(gpu.subsystemVendor()).isEqualTo(0x10de);
        assertThat(gpu.subsystemDevice()).isEqualTo(1);
        assertThat(gpu.driver()).isEqualTo("nvidia");
        assertThat(gpu.driverOverride()).isNull();
        assertThat(gpu.iommuGroup()).isEqualTo(12);
        assertThat(gpu.numaNode()).isEqualTo(-1);
        assertThat(gpu.bootVga()).isFalse();
        assertThat(gpu.resetMethod()).isEqualTo("flr bus");

        PciDevice igpu = bus.require(PciAddress.parse(IGPU));
        assertThat(igpu.bootVga()).isTrue();
        PciDevice nic = bus.require(PciAddress.parse(NIC));
        assertThat(nic.driver()).isNull();
        assertThat(nic.iommuGroup()).isEqualTo(-1);
        assertThat(nic.name()).isEqualTo("Intel Corporation device 8086:125c");
    }

    @Test
    void idsAloneWithoutDatabase() throws Exception {
        FakeSysfs fs = Rigs.desktop(tmp);
        PciBus bus = PciBus.at(fs.root(), PciIds.none());
        assertThat(bus.require(PciAddress.parse(GPU)).name()).isEqualTo("10de:2684");
        assertThat(PciIds.at(tmp.resolve("absent.ids")).describe(0x10de, 0x2684))
                .isEqualTo("10de:2684");
    }

    @Test
    void groupVerdictNamesEachBlockerAndToleratesBridges() throws Exception {
        FakeSysfs fs = Rigs.desktop(tmp);
        PciBus bus = PciBus.at(fs.root(), Rigs.ids(tmp));

        IommuGroup group = bus.groupOf(PciAddress.parse(GPU));
        assertThat(group.number()).isEqualTo(12);
        assertThat(group.members()).extracting(d -> d.address().toString()).containsExactly(BRIDGE, GPU, AUDIO);
        assertThat(group.devicesToBind())
                .extracting(d -> d.address().toString())
                .containsExactly(GPU, AUDIO);
        IommuGroup.Verdict verdict = group.verdict();
        assertThat(verdict.viable()).isFalse();
        assertThat(verdict.blockers())
                .containsExactly(
                        GPU + " (NVIDIA Corporation AD102 [GeForce RTX 4090]) is bound to nvidia",
                        AUDIO
                                + " (NVIDIA Corporation AD102 High Definition Audio Controller) is bound to snd_hda_intel");
    }

    @Test
    void groupOfVfioAndUnboundDevicesIsViable() throws Exception {
        FakeSysfs fs = new FakeSysfs(tmp.resolve("sys"));
        fs.driver(PciDevice.VFIO_PCI);
        fs.device(GPU, null, 0x10de, 0x2684, 0x030000, PciDevice.VFIO_PCI, 5);
        fs.device(AUDIO, null, 0x10de, 0x22ba, 0x040300, null, 5);
        IommuGroup.Verdict v = PciBus.at(fs.root(), PciIds.none()).group(5).verdict();
        assertThat(v.viable()).isTrue();
        assertThat(v.blockers()).isEmpty();
        assertThat(v).hasToString("viable");
    }

    @Test
    void bridgeWithForeignDriverBlocks() throws Exception {
        FakeSysfs fs = new FakeSysfs(tmp.resolve("sys"));
        fs.device(BRIDGE, null, 0x8086, 0x7a3d, 0x060400, "shpchp", 7);
        assertThat(PciBus.at(fs.root(), PciIds.none()).group(7).verdict().blockers())
                .containsExactly(BRIDGE + " (8086:7a3d) is bound to shpchp");
    }

    @Test
    void malformedAndUnknownAddressesFailClearly() throws Exception {
        FakeSysfs fs = Rigs.desktop(tmp);
        PciBus bus = PciBus.at(fs.root(), PciIds.none());

        assertThatThrownBy(() -> PciAddress.parse("../../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid PCI address");
        assertThatThrownBy(() -> PciAddress.parse("0000:01:20.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0000:01:20.0");
        assertThatThrownBy(() -> bus.require(PciAddress.parse("0000:09:00.0")))
                .isInstanceOf(VfioDeviceException.class)
                .hasMessage("vfio: find PCI device 0000:09:00.0: no such device under "
                        + fs.root().resolve("bus/pci/devices") + " (check the address with lspci -D)");
        assertThat(bus.device(PciAddress.parse("0000:09:00.0"))).isEmpty();
        assertThatThrownBy(() -> bus.groupOf(PciAddress.parse(NIC)))
                .isInstanceOf(VfioDeviceException.class)
                .hasMessageContaining("has none")
                .hasMessageContaining("intel_iommu=on");
        assertThatThrownBy(() -> bus.driverPath("../etc")).isInstanceOf(IllegalArgumentException.class);
    }
}
