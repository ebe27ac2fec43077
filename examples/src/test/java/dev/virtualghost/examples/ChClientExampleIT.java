package dev.virtualghost.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.testkit.CloudHypervisorBinary;
import dev.virtualghost.ch.testkit.PvhTestGuest;
import dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChClientExample} as a user runs it (a child JVM) against a real cloud-hypervisor from ../shared that the
 * test started, booting the testkit's PVH test guest in its halt-loop mode (it stays Running until shut down).
 */
class ChClientExampleIT {
    @TempDir
    Path tmp;

    @Test
    @RequiresCloudHypervisor
    void createsBootsAndShutsDownAVmOnARunningVmm() throws Exception {
        try (ChProcess vmm = ChProcess.builder()
                .binary(CloudHypervisorBinary.find().orElseThrow())
                .start()) {
            Path kernel = PvhTestGuest.builder()
                    .serialLine("halting")
                    .mode(PvhTestGuest.Mode.HALT)
                    .build()
                    .writeTo(tmp.resolve("guest.elf"));

            JavaMain r = JavaMain.run(
                    tmp,
                    Map.of(),
                    Duration.ofSeconds(60),
                    ChClientExample.class,
                    vmm.socket().toString(),
                    kernel.toString());

            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout())
                    .containsPattern("cloud-hypervisor v?\\d+\\.\\d+\\S* \\(build .*, pid " + vmm.pid() + "\\)")
                    .containsSubsequence("created the VM", "booted: state Running", "shut down: state");
            assertThat(vmm.isAlive()).as("the example leaves the VMM running").isTrue();

            JavaMain again = JavaMain.run(
                    tmp,
                    Map.of(),
                    Duration.ofSeconds(60),
                    ChClientExample.class,
                    vmm.socket().toString());
            assertThat(again.exitCode()).isZero();
            assertThat(again.stdout()).contains("a VM already exists");
        }
    }

    @Test
    void aMissingSocketIsOneErrorLine() throws Exception {
        JavaMain r = JavaMain.run(
                tmp,
                Map.of(),
                Duration.ofSeconds(60),
                ChClientExample.class,
                tmp.resolve("api.sock").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).hasLineCount(1).startsWith("error: ").contains("api.sock");
    }
}
