package dev.virtualghost.vfio;

import static dev.virtualghost.vfio.Rigs.AUDIO;
import static dev.virtualghost.vfio.Rigs.BRIDGE;
import static dev.virtualghost.vfio.Rigs.GPU;
import static dev.virtualghost.vfio.Rigs.IGPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.vfio.internal.Journal;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Binding groups to vfio-pci and back against {@link FakeSysfs}, which reacts to writes as the kernel does. */
class VfioBinderTest extends BinderRig {
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
        assertThat(fs.log())
                .contains(
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
        VfioBinder binder = VfioBinder.builder()
                .bus(PciBus.at(other.root(), PciIds.none()))
                .writer(other)
                .journalDirectory(journals)
                .claimDirectory(claims)
                .timeout(Duration.ofMillis(300))
                .build();
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
        VfioBindException e = catchThrowableOfType(
                VfioBindException.class, () -> binder().build().bind(PciAddress.parse(GPU)));

        assertThat(e.device()).hasToString(AUDIO);
        assertThat(e.step()).isEqualTo("write unbind");
        assertThat(e)
                .hasMessage(
                        "vfio: bind " + AUDIO + " to vfio-pci: write "
                                + fs.root().resolve("bus/pci/drivers/snd_hda_intel/unbind")
                                + ": Device or resource busy"
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
        assertThat(recorded)
                .containsEntry("device.0.address", GPU)
                .containsEntry("device.0.driver", "nvidia")
                .containsEntry("device.1.address", AUDIO)
                .containsEntry("device.1.driver", "snd_hda_intel")
                .containsEntry("device.0.override", "");
        // While the binding lives its claim keeps recovery away from its devices.
        assertThatThrownBy(() -> binder().build().restoreFromJournal(journal))
                .isInstanceOf(VfioClaimException.class)
                .hasMessageContaining("group12 is claimed by a live run (pid "
                        + ProcessHandle.current().pid());
        assertThat(fs.driverOf(GPU)).isEqualTo(PciDevice.VFIO_PCI);
        // The JVM died here: the binding is never closed, the kernel drops its flocks. A later run restores.
        crashed.simulateOwnerDeath();
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
        Files.writeString(bad, "group=12\ncount=1\ndevice.0.address=../../etc\n");
        assertThatThrownBy(() -> binder().build().restoreFromJournal(bad))
                .isInstanceOf(VfioHostException.class)
                .hasMessageStartingWith(
                        "vfio: read restore journal " + bad + ": it holds an invalid PCI address" + " '../../etc'");
        Path evil = journals.resolve("vfio-binding-evil.properties");
        Files.writeString(evil, "group=12\ncount=1\ndevice.0.address=0000:01:00.0\ndevice.0.driver=../../x\n");
        assertThatThrownBy(() -> binder().build().restoreFromJournal(evil))
                .isInstanceOf(VfioHostException.class)
                .hasMessageContaining("invalid driver name '../../x'");
        assertThat(fs.log()).isEmpty();
        assertThatThrownBy(() -> binder().build().restoreFromJournal(journals.resolve("absent")))
                .isInstanceOf(VfioHostException.class)
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void deviceVanishingMidBindFailsAndRestoresTheRest() throws Exception {
        fs.vanishAfter(AUDIO, "driver_override");
        VfioBindException e = catchThrowableOfType(
                VfioBindException.class, () -> binder().build().bind(PciAddress.parse(GPU)));

        assertThat(e.device()).hasToString(AUDIO);
        assertThat(e).hasMessageContaining("the device vanished").hasMessageContaining("lspci -D");
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(Files.exists(fs.root().resolve("bus/pci/devices/" + AUDIO))).isFalse();
        // The absent device's restore cannot be verified: its journal stays for a later clean.
        assertThat(e).hasMessageContaining("rollback incomplete");
        assertThat(VfioBinder.pendingJournals(journals)).hasSize(1);
    }

    @Test
    void notRootFailsOnceWithPermissionHintAndLeavesNothing() throws Exception {
        fs.notRoot(true);
        VfioBindException e = catchThrowableOfType(
                VfioBindException.class, () -> binder().build().bind(PciAddress.parse(GPU)));

        assertThat(e.step()).isEqualTo("write driver_override");
        assertThat(e)
                .hasMessage("vfio: bind " + GPU + " to vfio-pci: write "
                        + fs.root().resolve("bus/pci/devices/" + GPU + "/driver_override")
                        + ": permission denied: run as root"
                        + " or give the user write access to " + fs.root().resolve("bus/pci") + "/... (driver_override,"
                        + " drivers/*/unbind and bind, drivers_probe)");
        assertThat(e.getCause()).isInstanceOf(AccessDeniedException.class);
        // Nothing was changed, so nothing is rolled back: no second EACCES, no "rollback incomplete", no journal.
        assertThat(e.getSuppressed()).isEmpty();
        assertThat(fs.log()).hasSize(1);
        assertThat(journals).isEmptyDirectory();
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
    }

    @Test
    void epermFromWriteGetsTheSamePermissionMessage() throws Exception {
        SysfsWriter noCapability = (file, value) -> {
            throw new FileSystemException(file.toString(), null, "Operation not permitted");
        };
        VfioBindException e = catchThrowableOfType(
                VfioBindException.class,
                () -> binder().writer(noCapability).build().bind(PciAddress.parse(GPU)));

        assertThat(e)
                .hasMessageContaining("driver_override: permission denied: run as root or give the user"
                        + " write access to " + fs.root().resolve("bus/pci"));
        assertThat(e.getSuppressed()).isEmpty();
        assertThat(journals).isEmptyDirectory();
    }

    @Test
    void restoreWritesNothingToDevicesAlreadyInTheirOriginalState() throws Exception {
        Path journal = Journal.create(
                journals,
                12,
                List.of(
                        new Journal.Entry(PciAddress.parse(GPU), "nvidia", null),
                        new Journal.Entry(PciAddress.parse(AUDIO), "snd_hda_intel", null)));
        // Not root: any write would fail, so the replay succeeds only if it writes nothing.
        fs.notRoot(true);

        assertThat(binder().build().restoreFromJournal(journal)).hasSize(2);
        assertThat(fs.log()).isEmpty();
        assertThat(journal).doesNotExist();
    }

    @Test
    void closeTimesOutOnAnUnbindThatBlocksAndKeepsTheJournal() throws Exception {
        VfioBinding binding =
                binder().writeTimeout(Duration.ofMillis(200)).build().bind(PciAddress.parse(GPU));
        fs.blockOnUnbind(GPU); // a VM still holds the GPU's vfio device fd
        long start = System.nanoTime();
        VfioBindException e = catchThrowableOfType(VfioBindException.class, binding::close);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(e.device()).hasToString(GPU);
        assertThat(e.step()).isEqualTo("write unbind");
        assertThat(e)
                .hasMessage("vfio: restore " + GPU + " to nvidia: write "
                        + fs.root().resolve("bus/pci/drivers/vfio-pci/unbind") + " did not return within 200ms"
                        + " (is a VM still using the device? stop it, then run restore again)");
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.getName().startsWith("vfio-sysfs-write"))
                .isNotEmpty()
                .allMatch(Thread::isDaemon);
        assertThat(fs.driverOf(AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(VfioBinder.pendingJournals(journals)).containsExactly(binding.journal());

        fs.releaseUnbinds(); // the VM exits; the kernel finishes the unbind
        int before = fs.log().size();
        binder().build().restoreFromJournal(binding.journal());
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(fs.log().subList(before, fs.log().size())).noneMatch(l -> l.contains(AUDIO));
        assertThat(VfioBinder.pendingJournals(journals)).isEmpty();
    }

    @Test
    void closeFailureKeepsTheJournalForALaterRestore() throws Exception {
        VfioBinding binding = binder().build().bind(PciAddress.parse(GPU));
        fs.busyOnUnbind(GPU);
        VfioBindException e = catchThrowableOfType(VfioBindException.class, binding::close);

        assertThat(e).hasMessageContaining("vfio-pci/unbind: Device or resource busy");
        assertThat(binding.journal()).exists();
        assertThat(fs.driverOf(AUDIO)).isEqualTo("snd_hda_intel");
        int writes = fs.log().size();
        binding.close();
        assertThat(fs.log()).hasSize(writes);

        fs.idle(GPU);
        binder().build().restoreFromJournal(binding.journal());
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(binding.journal()).doesNotExist();
    }

    @Test
    void uncheckedFailureOfTheWriterStillRollsBack() throws Exception {
        IllegalStateException boom = new IllegalStateException("writer broke");
        SysfsWriter failsOnAudio = (file, value) -> {
            if (file.endsWith(Path.of(AUDIO, "driver_override")) && value.equals("vfio-pci")) {
                throw boom;
            }
            fs.write(file, value);
        };
        Throwable e = catchThrowable(() -> binder().writer(failsOnAudio).build().bind(PciAddress.parse(GPU)));

        assertThat(e).isSameAs(boom);
        assertThat(e.getSuppressed()).isEmpty();
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(fs.overrideOf(GPU)).isEqualTo("(null)");
        assertThat(journals).isEmptyDirectory();
    }

    @Test
    void driverLinkWithAnInvalidNameIsRefusedBeforeAnyWrite() throws Exception {
        FakeSysfs odd = new FakeSysfs(tmp.resolve("sys3"));
        odd.driver(PciDevice.VFIO_PCI);
        odd.device(GPU, null, 0x10de, 0x2684, 0x030000, "nvidia", 5);
        odd.device(AUDIO, null, 0x10de, 0x22ba, 0x040300, "snd hda", 5);
        VfioBinder binder = VfioBinder.builder()
                .bus(PciBus.at(odd.root(), PciIds.none()))
                .writer(odd)
                .journalDirectory(journals)
                .claimDirectory(claims)
                .timeout(Duration.ofMillis(300))
                .build();

        // The kernel never makes a driver link with a space: the tree is refused before any write.
        assertThatThrownBy(() -> binder.bind(PciAddress.parse(GPU)))
                .isInstanceOf(VfioHostException.class)
                .hasMessageContaining("invalid driver 'snd hda'");
        assertThat(odd.log()).isEmpty();
        assertThat(odd.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(odd.overrideOf(GPU)).isEqualTo("(null)");
        assertThat(odd.overrideOf(AUDIO)).isEqualTo("(null)");
        assertThat(journals).isEmptyDirectory();
    }

    @Test
    void driverThatNeverBindsTimesOutAndRollsBack() throws Exception {
        fs.neverBinds(PciDevice.VFIO_PCI);
        long start = System.nanoTime();
        VfioBindException e = catchThrowableOfType(
                VfioBindException.class, () -> binder().build().bind(PciAddress.parse(GPU)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(e.step()).isEqualTo("wait for driver");
        assertThat(e)
                .hasMessage("vfio: bind " + GPU + " to vfio-pci: still on no driver after 300 ms"
                        + " (check dmesg for probe errors of vfio-pci)");
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(fs.overrideOf(GPU)).isEqualTo("(null)");
    }

    @Test
    void vfioPciNotLoadedIsReportedBeforeAnyWrite() throws Exception {
        Files.walk(fs.root().resolve("bus/pci/drivers/vfio-pci"))
                .sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        assertThatThrownBy(() -> binder().build().bind(PciAddress.parse(GPU)))
                .isInstanceOf(VfioDeviceException.class)
                .hasMessageContaining("(modprobe vfio-pci)");
        assertThat(fs.log()).isEmpty();
    }

    @Test
    void unknownDeviceAndBadConfigurationFailClearly() {
        assertThatThrownBy(() -> binder().build().bind(PciAddress.parse("0000:0a:00.0")))
                .isInstanceOf(VfioDeviceException.class)
                .hasMessageContaining("no such device");
        assertThatThrownBy(() -> VfioBinder.builder().bus(bus).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("journalDirectory");
        Path shared = tmp.resolve("shared");
        assertThatCode(() -> Files.createDirectory(shared)).doesNotThrowAnyException();
        assertThatCode(() -> Files.setPosixFilePermissions(
                        shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() ->
                        VfioBinder.builder().bus(bus).journalDirectory(shared).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("writable by group or others");
        assertThatThrownBy(() -> binder().timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> binder().writeTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("write timeout must be positive");
    }
}
