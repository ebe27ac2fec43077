package dev.virtualghost.vfio;

import static dev.virtualghost.vfio.Rigs.AUDIO;
import static dev.virtualghost.vfio.Rigs.GPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.PciAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Recovery that must not lose anything: a journal goes only once the restore it describes was seen done, and a
 * restore that cannot finish leaves the device where it is (on vfio-pci), never with no driver.
 */
class VfioRecoveryTest extends BinderRig {

    private Path crashedRun() {
        VfioBinding crashed = binder().build().bind(PciAddress.parse(GPU));
        crashed.simulateOwnerDeath();
        return crashed.journal();
    }

    @Test
    void absentDeviceKeepsItsJournalAndFailsTheRestore() throws Exception {
        Path journal = crashedRun();
        // A wrong sysfs root (as `clean --sys` pointing at another tree): none of the journal's devices are there.
        FakeSysfs other = new FakeSysfs(tmp.resolve("other-sys"));
        VfioBinder wrongRoot = VfioBinder.builder()
                .bus(PciBus.at(other.root(), PciIds.none()))
                .writer(other)
                .journalDirectory(journals)
                .claimDirectory(claims)
                .build();

        assertThatThrownBy(() -> wrongRoot.restoreFromJournal(journal))
                .isInstanceOf(VfioBindException.class)
                .hasMessageContaining("the device is not under " + other.root().resolve("bus/pci/devices"))
                .hasMessageContaining("the journal is kept");
        assertThat(journal).exists();
        assertThat(other.log()).isEmpty();
        // The right root still restores it afterwards.
        assertThat(binder().build().restoreFromJournal(journal)).hasSize(2);
        assertThat(journal).doesNotExist();
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
    }

    @Test
    void restoreIsVerifiedBeforeTheJournalGoes() throws Exception {
        Path journal = crashedRun();
        // Something else (another tool) re-overrides the audio function between our restore writes and the check.
        SysfsWriter meddling = (file, value) -> {
            fs.write(file, value);
            if (file.getFileName().toString().equals("drivers_probe") && value.equals(AUDIO)) {
                fs.write(fs.root().resolve("bus/pci/devices/" + AUDIO + "/driver_override"), "other");
            }
        };
        VfioBinder binder = VfioBinder.builder()
                .bus(bus)
                .writer(meddling)
                .journalDirectory(journals)
                .claimDirectory(claims)
                .build();

        assertThatThrownBy(() -> binder.restoreFromJournal(journal))
                .isInstanceOf(VfioBindException.class)
                .hasMessageContaining("verify the restore of " + AUDIO)
                .hasMessageContaining("driver_override other");
        assertThat(journal).exists();
    }

    @Test
    void restoreToAnUnloadedDriverLeavesTheDeviceOnVfioAndSaysModprobe() throws Exception {
        VfioBinding binding = binder().build().bind(PciAddress.parse(GPU));
        Path journal = binding.journal();
        // rmmod snd_hda_intel while the VM ran: its driver directory is gone.
        try (Stream<Path> s = Files.walk(fs.root().resolve("bus/pci/drivers/snd_hda_intel"))) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        int writes = fs.log().size();

        assertThatThrownBy(binding::close)
                .isInstanceOf(VfioBindException.class)
                .hasMessageContaining("the driver snd_hda_intel is not loaded")
                .hasMessageContaining("the device stays on vfio-pci")
                .hasMessageContaining("run 'modprobe snd_hda_intel', then restore again");
        assertThat(fs.driverOf(AUDIO)).isEqualTo(PciDevice.VFIO_PCI);
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(fs.log().subList(writes, fs.log().size()))
                .noneMatch(w -> w.contains(AUDIO + "/") || w.endsWith("<- " + AUDIO));
        assertThat(journal).exists();

        fs.driver("snd_hda_intel"); // modprobe snd_hda_intel
        assertThat(binder().build().restoreFromJournal(journal)).hasSize(2);
        assertThat(fs.driverOf(AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(journal).doesNotExist();
    }
}
