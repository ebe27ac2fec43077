package dev.virtualghost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.vfio.ClaimingChild;
import dev.virtualghost.vfio.FakeSysfs;
import dev.virtualghost.vfio.PciBus;
import dev.virtualghost.vfio.Rigs;
import dev.virtualghost.vfio.VfioBinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code virtualghost clean} after a run died holding the GPU: on {@link FakeSysfs}, the vfio tests' fake kernel
 * (driver_override, unbind and drivers_probe react as Documentation/ABI/testing/sysfs-bus-pci says).
 */
class VfioCleanupTest {

    @TempDir
    Path tmp;

    private FakeSysfs fs;
    private Path journals;

    @BeforeEach
    void desktop() throws Exception {
        fs = Rigs.desktop(tmp);
        journals = Files.createDirectory(
                tmp.resolve("journals"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private VfioBinder binder() {
        return VfioBinder.builder()
                .bus(PciBus.at(fs.root()))
                .writer(fs)
                .journalDirectory(journals)
                .build();
    }

    @Test
    void restoresWhatAKilledRunLeftOnVfioAndDeletesItsJournal() throws Exception {
        // A real run in its own JVM binds the GPU, then is killed with SIGKILL: nobody closes its binding.
        ClaimingChild.Holder run = ClaimingChild.bind(fs.root(), journals, journals.resolve("claims"), Rigs.GPU);
        assertThat(fs.driverOf(Rigs.GPU)).isEqualTo("vfio-pci");
        assertThat(new VfioCleanup(binder()).run(journals)).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(VfioCleanup.Status.IN_USE);
            assertThat(o.message()).contains("pid " + run.process().pid());
        });
        assertThat(fs.driverOf(Rigs.GPU))
                .as("a live run's device is left alone")
                .isEqualTo("vfio-pci");
        run.kill();

        List<VfioCleanup.Outcome> outcomes = new VfioCleanup(binder()).run(journals);

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(VfioCleanup.Status.RESTORED);
            assertThat(o.restored()).extracting(PciAddress::toString).containsExactly(Rigs.GPU, Rigs.AUDIO);
        });
        assertThat(fs.driverOf(Rigs.GPU)).isEqualTo("nvidia");
        assertThat(fs.driverOf(Rigs.AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(run.journal()).doesNotExist();
        assertThat(journals.resolve("claims")).isEmptyDirectory();
        assertThat(new VfioCleanup(binder()).run(journals))
                .as("second run: nothing left")
                .isEmpty();
    }

    @Test
    void aBadJournalIsReportedAndKeptWhileTheOthersAreRestored() throws Exception {
        ClaimingChild.bind(fs.root(), journals, journals.resolve("claims"), Rigs.GPU)
                .kill();
        Path bad = journals.resolve("vfio-binding-0-bad.properties");
        Files.writeString(bad, "group=12\ncount=1\ndevice.0.address=../../etc\n");
        Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-------"));

        List<VfioCleanup.Outcome> outcomes = new VfioCleanup(binder()).run(journals);

        assertThat(outcomes).hasSize(2);
        assertThat(outcomes)
                .filteredOn(o -> !o.ok())
                .singleElement()
                .satisfies(o -> assertThat(o.error()).contains("invalid PCI address '../../etc'"));
        assertThat(outcomes)
                .filteredOn(VfioCleanup.Outcome::ok)
                .singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(VfioCleanup.Status.RESTORED));
        assertThat(fs.driverOf(Rigs.GPU)).isEqualTo("nvidia");
        assertThat(bad).exists();
    }
}
