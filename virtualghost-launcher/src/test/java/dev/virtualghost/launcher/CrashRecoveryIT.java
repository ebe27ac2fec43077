package dev.virtualghost.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.ch.testkit.CloudHypervisorBinary;
import dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor;
import dev.virtualghost.launcher.internal.ProcStat;
import dev.virtualghost.launcher.testing.Guests;
import dev.virtualghost.launcher.testing.LauncherProcess;
import dev.virtualghost.launcher.testing.Leaks;
import dev.virtualghost.vfio.FakeSysfs;
import dev.virtualghost.vfio.PciBus;
import dev.virtualghost.vfio.Rigs;
import dev.virtualghost.vfio.VfioBinder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's crash-recovery proof and issue 9's "launcher killed with SIGKILL": a run's owner dies by
 * {@code kill -9} while the real VMM runs (and, in the first test, while it holds a GPU bound in a FakeSysfs
 * tree); {@link RunRecovery} (what {@code clean} runs) stops the VMM first, restores the devices, and leaves
 * nothing behind. A live run is never touched.
 */
@RequiresCloudHypervisor
class CrashRecoveryIT {
    @TempDir
    Path tmp;

    Path ch;
    Path root;

    @BeforeEach
    void setUp() throws Exception {
        ch = CloudHypervisorBinary.find().orElseThrow();
        root = Files.createDirectory(tmp.resolve("rt"));
    }

    @Test
    void aRunKilledHoldingTheGpuAndTheVmmIsRecoveredInOrder() throws Exception {
        FakeSysfs fs = Rigs.desktop(tmp);
        Path kernel = Guests.idle(tmp, "idle");
        Path out = tmp.resolve("child.out");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.virtualghost.launcher.testing.CrashChild",
                        fs.root().toString(),
                        root.toString(),
                        ch.toString(),
                        kernel.toString(),
                        Rigs.GPU)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            long vmm = awaitReady(child, out);
            assertThat(fs.driverOf(Rigs.GPU)).isEqualTo("vfio-pci");
            assertThat(fs.driverOf(Rigs.AUDIO)).isEqualTo("vfio-pci");
            Path run = RunJournal.runDirectories(root).get(0);
            assertThat(new RunRecovery(Duration.ofSeconds(2), fs).recoverAll(root))
                    .as("a live run is not recovered")
                    .isEmpty();
            assertThat(RunJournal.ownerAlive(run)).isTrue();
            assertThatThrownBy(() -> secondClaimant(fs).bind(PciAddress.parse(Rigs.GPU)))
                    .as("a second claimant while the run lives")
                    .hasMessageContaining("pid " + child.pid());

            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            // ChProcess spawns CH with setpriv --pdeathsig KILL where setpriv exists, so the VMM may die with its
            // owner; where it survives (no setpriv), recovery must stop it before touching the devices.
            Thread.sleep(200);
            boolean orphanRuns =
                    ProcessHandle.of(vmm).map(ProcessHandle::isAlive).orElse(false) && !ProcStat.isZombie(vmm);

            FakeSysfs kernelAgain = new FakeSysfs(fs.root())
                    .defaultDriver(Rigs.GPU, "nvidia")
                    .defaultDriver(Rigs.AUDIO, "snd_hda_intel");
            List<RunRecovery.Outcome> outcomes = new RunRecovery(Duration.ofSeconds(2), kernelAgain).recoverAll(root);

            assertThat(outcomes).singleElement().satisfies(o -> {
                assertThat(o.ok()).as(o.problem()).isTrue();
                if (orphanRuns) {
                    assertThat(o.actions().get(0)).isEqualTo("stopped VMM pid " + vmm);
                }
                // Whatever stopped the VMM, the devices come after it and the files last.
                assertThat(o.actions().get(o.actions().size() - 2))
                        .startsWith("restored")
                        .contains(Rigs.GPU, Rigs.AUDIO);
                assertThat(o.actions().get(o.actions().size() - 1)).startsWith("removed");
            });
            // Gone, or a zombie its new parent (PID 1 of this container) has not reaped yet: it holds nothing.
            assertThat(ProcessHandle.of(vmm).map(ProcessHandle::isAlive).orElse(false) && !ProcStat.isZombie(vmm))
                    .as("VMM still running")
                    .isFalse();
            assertThat(fs.driverOf(Rigs.GPU)).isEqualTo("nvidia");
            assertThat(fs.driverOf(Rigs.AUDIO)).isEqualTo("snd_hda_intel");
            assertThat(fs.overrideOf(Rigs.GPU)).isEqualTo("(null)");
            Leaks.assertNothingLeftIn(root);
            assertThat(new RunRecovery(Duration.ofSeconds(2), kernelAgain).recoverAll(root))
                    .isEmpty();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void theCliKilledWithSigkillIsCleanedFromItsJournal() throws Exception {
        Path kernel = Guests.idle(tmp, "idle");
        try (LauncherProcess p = LauncherProcess.startWaitRun(tmp, root, ch, kernel)) {
            p.awaitStderr("VM running", Duration.ofSeconds(60));
            p.signal("KILL");
            p.awaitExit(Duration.ofSeconds(10));
        }
        // What a user runs: 'virtualghost clean' with the same runtime root.
        try (LauncherProcess clean = LauncherProcess.start(tmp, root, "clean")) {
            assertThat(clean.awaitExit(Duration.ofSeconds(60)))
                    .as(clean.stderr() + clean.stdout())
                    .isZero();
            assertThat(clean.stdout()).contains("cleaned   run ", "removed " + root.resolve("runs"));
        }
        Leaks.assertNothingLeftIn(root);
        Leaks.assertNoVmmUnder(root);
    }

    private VfioBinder secondClaimant(FakeSysfs fs) {
        return VfioBinder.builder()
                .bus(PciBus.at(fs.root()))
                .writer(fs)
                .journalDirectory(root.resolve("vfio"))
                .build();
    }

    private static long awaitReady(Process child, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(out) ? Files.readString(out) : "";
            for (String line : text.lines().toList()) {
                if (line.startsWith("READY vmm ")) {
                    return Long.parseLong(line.substring("READY vmm ".length()).strip());
                }
            }
            if (!child.isAlive()) {
                throw new AssertionError("the child died before READY:\n" + text);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no READY from the child:\n" + Files.readString(out));
    }
}
