package dev.virtualghost.vfio;

import static dev.virtualghost.vfio.Rigs.AUDIO;
import static dev.virtualghost.vfio.Rigs.BRIDGE;
import static dev.virtualghost.vfio.Rigs.GPU;
import static dev.virtualghost.vfio.Rigs.IGPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.virtualghost.api.PciAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding groups to vfio-pci and back against {@link FakeSysfs}, which reacts to writes as the kernel does. */
class VfioBinderTest {
    @TempDir
    Path tmp;

    FakeSysfs fs;
    Path journals;
    PciBus bus;

    @BeforeEach
    void setUp() throws Exception {
        fs = Rigs.desktop(tmp);
        journals = Files.createDirectory(tmp.resolve("journals"));
        bus = PciBus.at(fs.root(), Rigs.ids(tmp));
    }

    VfioBinder.Builder binder() {
        return VfioBinder.builder().bus(bus).writer(fs).journalDirectory(journals)
                .timeout(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(5));
    }

    @Test
    void bindsWholeGroupAndRestoresExactly() throws Exception {
        fs.defaultDriver(AUDIO, "snd_hda_intel");
        VfioBinding binding = binder().build().bind(PciAddress.parse(GPU));

        assertThat(binding.group()).isEqualTo(12);
        assertThat(binding.devices()).extracting(PciAddress::toString).containsExactly(GPU, AUDIO);
        assertThat(fs.driverOf(GPU)).isEqualTo("vfio-pci");
        assertThat(fs.driverOf(AUDIO)).isEqualTo("vfio-pci");
        assertThat(fs.overrideOf(GPU)).isEqualTo("vfio-pci");
        assertThat(fs.driverOf(BRIDGE)).isEqualTo("pcieport");
        assertThat(bus.group(12).verdict().viable()).isTrue();
        assertThat(binding.journal()).exists();
        assertThat(Files.getPosixFilePermissions(binding.journal()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(fs.log()).contains(
                "bus/pci/devices/" + GPU + "/driver_override <- vfio-pci",
                "bus/pci/drivers/nvidia/unbind <- " + GPU,
                "bus/pci/drivers_probe <- " + GPU);

        binding.close();
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(fs.driverOf(AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(fs.overrideOf(GPU)).isEqualTo("(null)");
        assertThat(fs.overrideOf(AUDIO)).isEqualTo("(null)");
        assertThat(fs.log()).contains("bus/pci/devices/" + GPU + "/driver_override <- \\n");
        assertThat(binding.journal()).doesNotExist();
        int writes = fs.log().size();
        binding.close();
        assertThat(fs.log()).hasSize(writes);
    }

    @Test
    void restoresOriginalOverrideVerbatimAndFallsBackToExplicitBind() throws Exception {
        fs.write(fs.root().resolve("bus/pci/devices/" + AUDIO + "/driver_override"), "snd_hda_intel");
        // Probe alone would leave the GPU unbound: the original driver was attached by an explicit bind.
        fs.defaultDriver(GPU, null);
        try (VfioBinding b = binder().build().bind(PciAddress.parse(GPU))) {
            assertThat(fs.overrideOf(AUDIO)).isEqualTo("vfio-pci");
        }
        assertThat(fs.overrideOf(AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(fs.driverOf(AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(fs.log()).contains("bus/pci/drivers/nvidia/bind <- " + GPU);
    }

    @Test
    void idempotentOnDeviceAlreadyOnVfio() throws Exception {
        FakeSysfs other = new FakeSysfs(tmp.resolve("sys2"));
        other.driver(PciDevice.VFIO_PCI);
        other.device(GPU, null, 0x10de, 0x2684, 0x030000, PciDevice.VFIO_PCI, 3);
        other.write(other.root().resolve("bus/pci/devices/" + GPU + "/driver_override"), "vfio-pci");
        other.device(AUDIO, null, 0x10de, 0x22ba, 0x040300, "snd_hda_intel", 3);
        VfioBinder binder = VfioBinder.builder().bus(PciBus.at(other.root(), PciIds.none())).writer(other)
                .journalDirectory(journals).timeout(Duration.ofMillis(300)).build();
        int before = other.log().size();

        try (VfioBinding b = binder.bind(PciAddress.parse(GPU))) {
            assertThat(other.driverOf(GPU)).isEqualTo("vfio-pci");
            assertThat(other.driverOf(AUDIO)).isEqualTo("vfio-pci");
        }
        assertThat(other.driverOf(GPU)).isEqualTo("vfio-pci");
        assertThat(other.overrideOf(GPU)).isEqualTo("vfio-pci");
        assertThat(other.driverOf(AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(other.log().subList(before, other.log().size())).noneMatch(l -> l.contains(GPU));
    }

    @Test
    void refusesBootVgaInUseUnlessForced() throws Exception {
        assertThatThrownBy(() -> binder().build().bind(PciAddress.parse(IGPU)))
                .isInstanceOf(VfioDeviceException.class)
                .hasMessageContaining("boot VGA device driven by i915")
                .hasMessageContaining("forceBootVga(true)");
        assertThat(fs.log()).isEmpty();
        assertThat(journals).isEmptyDirectory();

        try (VfioBinding b = binder().forceBootVga(true).build().bind(PciAddress.parse(IGPU))) {
            assertThat(fs.driverOf(IGPU)).isEqualTo("vfio-pci");
        }
        assertThat(fs.driverOf(IGPU)).isEqualTo("i915");
    }

    @Test
    void rollsBackFirstDeviceWhenSecondFails() throws Exception {
        fs.busyOnUnbind(AUDIO);
        VfioBindException e = catchThrowableOfType(VfioBindException.class,
                () -> binder().build().bind(PciAddress.parse(GPU)));

        assertThat(e.device()).hasToString(AUDIO);
        assertThat(e.step()).isEqualTo("write unbind");
        assertThat(e).hasMessage("vfio: bind " + AUDIO + " to vfio-pci: write "
                + fs.root().resolve("bus/pci/drivers/snd_hda_intel/unbind") + ": Device or resource busy"
                + " (is the host display or another process using it? stop it, or use a GPU the host does not drive)");
        assertThat(e.getSuppressed()).isEmpty();
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(fs.overrideOf(GPU)).isEqualTo("(null)");
        assertThat(fs.driverOf(AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(fs.overrideOf(AUDIO)).isEqualTo("(null)");
        assertThat(journals).isEmptyDirectory();
    }

    @Test
    void journalReplaysAfterCrash() throws Exception {
        VfioBinding crashed = binder().build().bind(PciAddress.parse(GPU));
        Path journal = crashed.journal();
        java.util.Properties recorded = new java.util.Properties();
        try (var in = Files.newBufferedReader(journal)) {
            recorded.load(in);
        }
        assertThat(recorded).containsEntry("device.0.address", GPU).containsEntry("device.0.driver", "nvidia")
                .containsEntry("device.1.address", AUDIO).containsEntry("device.1.driver", "snd_hda_intel")
                .containsEntry("device.0.override", "");
        // The JVM died here: the binding is never closed. A later run restores from the journal.
        List<PciAddress> restored = binder().build().restoreFromJournal(journal);

        assertThat(restored).extracting(PciAddress::toString).containsExactly(GPU, AUDIO);
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(fs.driverOf(AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(fs.overrideOf(GPU)).isEqualTo("(null)");
        assertThat(journal).doesNotExist();
    }

    @Test
    void malformedJournalFailsClearly() throws Exception {
        Path bad = journals.resolve("vfio-binding-bad.properties");
        Files.writeString(bad, "count=1\ndevice.0.address=../../etc\n");
        assertThatThrownBy(() -> binder().build().restoreFromJournal(bad))
                .isInstanceOf(VfioHostException.class)
                .hasMessageStartingWith("vfio: read restore journal " + bad + ": invalid PCI address '../../etc'");
        Path evil = journals.resolve("vfio-binding-evil.properties");
        Files.writeString(evil, "count=1\ndevice.0.address=0000:01:00.0\ndevice.0.driver=../../x\n");
        assertThatThrownBy(() -> binder().build().restoreFromJournal(evil))
                .isInstanceOf(VfioHostException.class).hasMessageContaining("invalid driver name '../../x'");
        assertThat(fs.log()).isEmpty();
        assertThatThrownBy(() -> binder().build().restoreFromJournal(journals.resolve("absent")))
                .isInstanceOf(VfioHostException.class).hasMessageContaining("No such file or directory");
    }

    @Test
    void deviceVanishingMidBindFailsAndRestoresTheRest() throws Exception {
        fs.vanishAfter(AUDIO, "driver_override");
        VfioBindException e = catchThrowableOfType(VfioBindException.class,
                () -> binder().build().bind(PciAddress.parse(GPU)));

        assertThat(e.device()).hasToString(AUDIO);
        assertThat(e).hasMessageContaining("the device vanished").hasMessageContaining("lspci -D");
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(Files.exists(fs.root().resolve("bus/pci/devices/" + AUDIO))).isFalse();
        assertThat(journals).isEmptyDirectory();
    }

    @Test
    void notRootMapsToEpermHint() throws Exception {
        fs.notRoot(true);
        VfioBindException e = catchThrowableOfType(VfioBindException.class,
                () -> binder().build().bind(PciAddress.parse(GPU)));

        assertThat(e.step()).isEqualTo("write driver_override");
        assertThat(e).hasMessageStartingWith("vfio: bind " + GPU + " to vfio-pci: write ")
                .hasMessageContaining("Operation not permitted (run as root");
        // Rollback also hit EPERM: attached, not lost; the journal stays for a later restore.
        assertThat(e.getSuppressed()).hasSize(1);
        assertThat(e.getMessage()).contains("restoreFromJournal");
        fs.notRoot(false);
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        try (Stream<Path> left = Files.list(journals)) {
            Path journal = left.findFirst().orElseThrow();
            binder().build().restoreFromJournal(journal);
            assertThat(journal).doesNotExist();
        }
        assertThat(fs.overrideOf(GPU)).isEqualTo("(null)");
    }

    @Test
    void driverThatNeverBindsTimesOutAndRollsBack() throws Exception {
        fs.neverBinds(PciDevice.VFIO_PCI);
        long start = System.nanoTime();
        VfioBindException e = catchThrowableOfType(VfioBindException.class,
                () -> binder().build().bind(PciAddress.parse(GPU)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(e.step()).isEqualTo("wait for driver");
        assertThat(e).hasMessage("vfio: bind " + GPU + " to vfio-pci: still on no driver after 300 ms"
                + " (check dmesg for probe errors of vfio-pci)");
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(fs.overrideOf(GPU)).isEqualTo("(null)");
    }

    @Test
    void vfioPciNotLoadedIsReportedBeforeAnyWrite() throws Exception {
        Files.walk(fs.root().resolve("bus/pci/drivers/vfio-pci")).sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        assertThatThrownBy(() -> binder().build().bind(PciAddress.parse(GPU)))
                .isInstanceOf(VfioDeviceException.class).hasMessageContaining("(modprobe vfio-pci)");
        assertThat(fs.log()).isEmpty();
    }

    @Test
    void unknownDeviceAndBadConfigurationFailClearly() {
        assertThatThrownBy(() -> binder().build().bind(PciAddress.parse("0000:0a:00.0")))
                .isInstanceOf(VfioDeviceException.class).hasMessageContaining("no such device");
        assertThatThrownBy(() -> VfioBinder.builder().bus(bus).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("journalDirectory");
        Path shared = tmp.resolve("shared");
        assertThatCode(() -> Files.createDirectory(shared)).doesNotThrowAnyException();
        assertThatCode(() -> Files.setPosixFilePermissions(shared,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> VfioBinder.builder().bus(bus).journalDirectory(shared).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("writable by group or others");
        assertThatThrownBy(() -> binder().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
