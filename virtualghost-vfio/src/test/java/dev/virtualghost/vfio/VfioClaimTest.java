package dev.virtualghost.vfio;

import static dev.virtualghost.vfio.Rigs.AUDIO;
import static dev.virtualghost.vfio.Rigs.GPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.PciAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exclusive claim a binding holds on its IOMMU group and devices, across real processes: a child JVM
 * ({@link ClaimingChild}) binds a device of a {@link FakeSysfs} tree and is killed with SIGKILL, as a crashed run
 * would be. The flock on the claim file is the kernel's, so what the tests see is what two real runs would see.
 */
class VfioClaimTest extends BinderRig {
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws Exception {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process child(String address) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        ClaimingChild.class.getName(),
                        fs.root().toString(),
                        journals.toString(),
                        claims.toString(),
                        address)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.add(p);
        return p;
    }

    private static String firstLine(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertThat(line).as("the child's first line").isNotNull();
        return line;
    }

    @Test
    void secondBinderInAnotherProcessIsRefusedWithTheHoldersPid() throws Exception {
        Process holder = child(GPU);
        assertThat(firstLine(holder)).startsWith("BOUND ");

        assertThatThrownBy(() -> binder().build().bind(PciAddress.parse(GPU)))
                .isInstanceOf(VfioClaimException.class)
                .hasMessageContaining("is claimed by a live run (pid " + holder.pid() + ",")
                .satisfies(e -> assertThat(((VfioClaimException) e).holderPid()).hasValue(holder.pid()))
                .hasMessageNotContaining("\n");
        // Nothing of the refused binder reached sysfs: the holder's override is still the only one.
        assertThat(fs.log()).isEmpty();
        assertThat(fs.overrideOf(GPU)).isEqualTo(PciDevice.VFIO_PCI);
        assertThat(VfioBinder.pendingJournals(journals)).hasSize(1);

        Process second = child(AUDIO); // same IOMMU group, through another of its devices
        assertThat(firstLine(second)).startsWith("REFUSED ").contains("pid " + holder.pid());
    }

    @Test
    void childKilledWithSigkillIsRecoveredOnlyOnceItIsDead() throws Exception {
        Process holder = child(GPU);
        String bound = firstLine(holder);
        assertThat(bound).startsWith("BOUND ");
        Path journal = Path.of(bound.substring("BOUND ".length()));
        assertThat(fs.driverOf(GPU)).isEqualTo(PciDevice.VFIO_PCI);
        assertThat(fs.driverOf(AUDIO)).isEqualTo(PciDevice.VFIO_PCI);

        // While it lives: recovery leaves its journal alone and a concurrent claimant is refused.
        VfioBinder recovery = binder().build();
        assertThatThrownBy(() -> recovery.restoreFromJournal(journal))
                .isInstanceOf(VfioClaimException.class)
                .hasMessageContaining("pid " + holder.pid());
        assertThatThrownBy(() -> binder().build().bind(PciAddress.parse(GPU))).isInstanceOf(VfioClaimException.class);
        assertThat(journal).exists();
        assertThat(fs.driverOf(GPU)).isEqualTo(PciDevice.VFIO_PCI);

        holder.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close()
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(holder.exitValue()).isEqualTo(128 + 9);
        // The lock files stay behind with the dead pid, but the kernel dropped the locks.
        assertThat(claims.resolve("group12.lock")).exists();

        assertThat(recovery.restoreFromJournal(journal))
                .extracting(PciAddress::toString)
                .containsExactly(GPU, AUDIO);
        assertThat(fs.driverOf(GPU)).isEqualTo("nvidia");
        assertThat(fs.driverOf(AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(fs.overrideOf(GPU)).isEqualTo("(null)");
        assertThat(journal).doesNotExist();
        assertThat(claims).isEmptyDirectory();
        assertThat(journals)
                .isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void secondBinderInThisProcessIsRefusedAndClosingReleasesTheClaim() throws Exception {
        try (VfioBinding first = binder().build().bind(PciAddress.parse(GPU))) {
            assertThat(claims)
                    .isDirectoryContaining(p -> p.getFileName().toString().equals("group12.lock"))
                    .isDirectoryContaining(p -> p.getFileName().toString().equals(GPU + ".lock"));
            assertThat(Files.readString(claims.resolve("group12.lock")).strip())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
            int writes = fs.log().size();
            assertThatThrownBy(() -> binder().build().bind(PciAddress.parse(AUDIO)))
                    .isInstanceOf(VfioClaimException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(fs.log()).hasSize(writes);
            assertThat(first.devices()).hasSize(2);
        }
        assertThat(claims).isEmptyDirectory();
        try (VfioBinding again = binder().build().bind(PciAddress.parse(AUDIO))) {
            assertThat(again.group()).isEqualTo(12);
        }
    }

    @Test
    void claimDirectoryOthersCanEnterIsRefusedBeforeAnyWrite() throws Exception {
        Files.createDirectory(
                claims, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx---r-x")));
        Files.setPosixFilePermissions(claims, PosixFilePermissions.fromString("rwx---r-x"));
        assertThatThrownBy(() -> binder().build().bind(PciAddress.parse(GPU)))
                .isInstanceOf(VfioHostException.class)
                .hasMessageContaining("mode rwx---r-x")
                .hasMessageContaining("make it yours with mode 0700");
        assertThat(fs.log()).isEmpty();
        assertThat(journals).isEmptyDirectory();
    }

    @Test
    void everySpellingOfTheHostsSysfsSharesTheHostWideClaimDirectory() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("sys-link"), Path.of("/sys"));
        for (Path root : List.of(Path.of("/sys"), Path.of("/sys/../sys"), link)) {
            VfioBinder b = VfioBinder.builder()
                    .bus(PciBus.at(root))
                    .journalDirectory(journals)
                    .build();
            assertThat(b.claimDirectory()).as(root.toString()).isEqualTo(VfioBinder.SYSTEM_CLAIMS);
        }
        VfioBinder fake =
                VfioBinder.builder().bus(bus).journalDirectory(journals).build();
        assertThat(fake.claimDirectory()).isEqualTo(journals.resolve("claims"));
    }

    @Test
    void aMissingClaimDirectoryAndItsParentsAreCreatedPrivate() throws Exception {
        Path deep = tmp.resolve("runtime/root/claims");
        try (VfioBinding b = binder().claimDirectory(deep).build().bind(PciAddress.parse(GPU))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(deep)))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(deep.getParent())))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(deep.resolve("group12.lock"))))
                    .isEqualTo("rw-------");
        }
    }
}
