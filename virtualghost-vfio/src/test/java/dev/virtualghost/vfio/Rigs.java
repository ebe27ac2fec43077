package dev.virtualghost.vfio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A typical desktop: NVIDIA GPU + HDMI audio behind a root port in group 12, Intel boot iGPU in group 2. */
public final class Rigs {
    public static final String BRIDGE = "0000:00:01.0";
    public static final String GPU = "0000:01:00.0";
    public static final String AUDIO = "0000:01:00.1";
    public static final String IGPU = "0000:00:02.0";
    public static final String NIC = "0000:00:03.0";

    public static final String PCI_IDS = String.join(
            "\n",
            "# test subset of pci.ids",
            "10de  NVIDIA Corporation",
            "\t2684  AD102 [GeForce RTX 4090]",
            "\t\t10de 167c  Founders Edition",
            "\t22ba  AD102 High Definition Audio Controller",
            "8086  Intel Corporation",
            "\ta780  Raptor Lake-S GT1 [UHD Graphics 770]",
            "\t7a3d  Raptor Lake PCIe Root Port",
            "C 03  Display controller",
            "\t00  VGA compatible controller",
            "");

    private Rigs() {}

    public static FakeSysfs desktop(Path dir) throws IOException {
        FakeSysfs fs = new FakeSysfs(dir.resolve("sys"));
        fs.driver(PciDevice.VFIO_PCI);
        fs.device(BRIDGE, null, 0x8086, 0x7a3d, 0x060400, "pcieport", 12);
        fs.device(GPU, BRIDGE, 0x10de, 0x2684, 0x030000, "nvidia", 12);
        fs.device(AUDIO, BRIDGE, 0x10de, 0x22ba, 0x040300, "snd_hda_intel", 12);
        fs.device(IGPU, null, 0x8086, 0xa780, 0x030000, "i915", 2);
        fs.device(NIC, null, 0x8086, 0x125c, 0x020000, null, -1);
        fs.bootVga(GPU, false).bootVga(IGPU, true);
        return fs;
    }

    public static PciIds ids(Path dir) throws IOException {
        Path f = dir.resolve("pci.ids");
        Files.writeString(f, PCI_IDS);
        return PciIds.at(f);
    }
}
