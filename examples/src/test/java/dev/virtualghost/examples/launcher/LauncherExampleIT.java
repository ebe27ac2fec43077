package dev.virtualghost.examples.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.testkit.CloudHypervisorBinary;
import dev.virtualghost.ch.testkit.PvhTestGuest;
import dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor;
import dev.virtualghost.examples.JavaMain;
import dev.virtualghost.launcher.RunJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LauncherExample} as a user runs it, in a child JVM, on the real cloud-hypervisor from ../shared with the
 * testkit's PVH test guest (which prints a line and powers off), its runtime root in a private temp directory.
 */
class LauncherExampleIT {
    @TempDir
    Path tmp;

    @Test
    @RequiresCloudHypervisor
    void bootsPrintsEachStepAndTheCustomStepAndSeesThePowerOff() throws Exception {
        Path ch = CloudHypervisorBinary.find().orElseThrow();
        Path kernel = PvhTestGuest.builder()
                .serialLine("hello from LauncherExampleIT")
                .mode(PvhTestGuest.Mode.POWER_OFF_AFTER_DELAY)
                .powerOffDelay(Duration.ofMillis(500))
                .build()
                .writeTo(tmp.resolve("guest.elf"));
        Path root = Files.createDirectory(tmp.resolve("run"));

        JavaMain r = JavaMain.run(
                tmp,
                Map.of("VIRTUALGHOST_RUNTIME_DIR", root.toString()),
                Duration.ofSeconds(90),
                LauncherExample.class,
                kernel.toString(),
                ch.toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout())
                .contains("VM state: Running")
                .containsPattern("(?m)^vm\\.boot\\s+\\d+ ms$")
                .containsSubsequence(
                        "VM state: Running", "the guest powered off", "serial:", "hello from LauncherExampleIT");
        assertThat(RunJournal.runDirectories(root))
                .as("the session cleaned up its run")
                .isEmpty();
    }

    @Test
    void aWrongCommandLinePrintsTheUsageAndExits2() throws Exception {
        JavaMain r = JavaMain.run(tmp, Map.of(), Duration.ofSeconds(30), LauncherExample.class, "only-a-kernel");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("usage: LauncherExample KERNEL CLOUD_HYPERVISOR");
    }
}
