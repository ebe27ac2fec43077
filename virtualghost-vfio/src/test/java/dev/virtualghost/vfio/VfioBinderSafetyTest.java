package dev.virtualghost.vfio;

import static dev.virtualghost.vfio.Rigs.AUDIO;
import static dev.virtualghost.vfio.Rigs.BRIDGE;
import static dev.virtualghost.vfio.Rigs.GPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.vfio.internal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the binder refuses before any sysfs write, against {@link FakeSysfs}: groups that would take host devices or
 * hold a bridge on a foreign driver, and restore journals or journal directories another user could have planted.
 */
class VfioBinderSafetyTest extends BinderRig {
    static final String NVME = "0000:02:00.0";
    static final String SPARE = "0000:03:00.0";
    static final int NOBODY = 65534;

    @Test
    void refusesHostDevicesOutsideTheSlotUnlessAllowed() throws Exception {
        fs.device(NVME, null, 0x144d, 0xa808, 0x010802, "nvme", 12);
        fs.device(SPARE, null, 0x8086, 0x1533, 0x020000, null, 12); // unbound: the host loses nothing
        assertThatThrownBy(() -> binder().build().bind(PciAddress.parse(GPU)))
                .isInstanceOf(VfioDeviceException.class)
                .hasMessage("vfio: bind IOMMU group 12 of " + GPU + " to vfio-pci: the group also holds " + NVME
                        + " (144d:a808) on nvme, class 0x010802, outside the GPU's slot and in use by the host, which"
                        + " would lose it (allow it with VfioBinder.Builder.allowUnrelatedGroupMembers(true), or move"
                        + " the GPU to a slot with its own IOMMU group / ACS)");
        assertThat(fs.log()).isEmpty();
        assertThat(journals).isEmptyDirectory();

        try (VfioBinding b = binder().allowUnrelatedGroupMembers(true).build().bind(PciAddress.parse(GPU))) {
            assertThat(b.devices()).extracting(PciAddress::toString).containsExactly(GPU, AUDIO, NVME, SPARE);
            assertThat(fs.driverOf(NVME)).isEqualTo("vfio-pci");
            assertThat(fs.driverOf(SPARE)).isEqualTo("vfio-pci");
        }
        assertThat(fs.driverOf(NVME)).isEqualTo("nvme");
        assertThat(fs.driverOf(SPARE)).isNull();
    }

    @Test
    void refusesBridgeBoundToAForeignDriver() throws Exception {
        FakeSysfs hotplug = new FakeSysfs(tmp.resolve("sys4"));
        hotplug.driver(PciDevice.VFIO_PCI);
        hotplug.device(BRIDGE, null, 0x8086, 0x7a3d, 0x060400, "shpchp", 7);
        hotplug.device(GPU, BRIDGE, 0x10de, 0x2684, 0x030000, "nvidia", 7);
        VfioBinder binder = VfioBinder.builder()
                .bus(PciBus.at(hotplug.root(), Rigs.ids(tmp)))
                .writer(hotplug)
                .journalDirectory(journals)
                .build();

        assertThatThrownBy(() -> binder.bind(PciAddress.parse(GPU)))
                .isInstanceOf(VfioDeviceException.class)
                .hasMessage("vfio: bind IOMMU group 7 of " + GPU + ": bridge " + BRIDGE + " (Intel Corporation Raptor"
                        + " Lake PCIe Root Port) is bound to shpchp (a bridge may only have no driver or pcieport;"
                        + " unbind it or use ACS-capable slot)");
        assertThat(hotplug.log()).isEmpty();
        assertThat(journals).isEmptyDirectory();
        assertThat(hotplug.driverOf(GPU)).isEqualTo("nvidia");
    }

    @Test
    void refusesJournalNotPrivateToThisUser() throws Exception {
        Path journal = Journal.create(journals, 12, List.of(new Journal.Entry(PciAddress.parse(GPU), "nvidia", null)));
        Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rw-rw----"));
        assertThatThrownBy(() -> binder().build().restoreFromJournal(journal))
                .isInstanceOf(VfioHostException.class)
                .hasMessage("vfio: read restore journal " + journal + ": it is writable by group or others (mode"
                        + " rw-rw----), refusing to replay it (check who wrote it; if it is yours, chown it to you and"
                        + " chmod 600 it)");
        assertThat(journal).exists();

        Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(journals.resolve("vfio-binding-link.properties"), journal);
        assertThatThrownBy(() -> binder().build().restoreFromJournal(link))
                .isInstanceOf(VfioHostException.class)
                .hasMessageContaining(": it is a symbolic link, refusing");
        assertThat(fs.log()).isEmpty();
    }

    @Test
    void refusesJournalAndJournalDirectoryOwnedByAnotherUser() throws Exception {
        int uid = (Integer) Files.getAttribute(tmp, "unix:uid");
        assumeTrue(uid == 0, "giving a file to another user (chown) needs root");
        Path journal = Journal.create(journals, 12, List.of(new Journal.Entry(PciAddress.parse(GPU), "nvidia", null)));
        Files.setAttribute(journal, "unix:uid", NOBODY);
        assertThatThrownBy(() -> binder().build().restoreFromJournal(journal))
                .isInstanceOf(VfioHostException.class)
                .hasMessageStartingWith("vfio: read restore journal " + journal + ": it is owned by uid " + NOBODY
                        + ", not by this user (uid 0), refusing to replay it");
        assertThat(fs.log()).isEmpty();

        Path theirs = Files.createDirectory(
                tmp.resolve("theirs"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(theirs, "unix:uid", NOBODY);
        assertThatThrownBy(() -> binder().journalDirectory(theirs).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("journalDirectory " + theirs + " is owned by uid " + NOBODY + ", not by this user (uid 0);"
                        + " use a private directory you own (mode 0700)");
    }
}
