package dev.virtualghost.examples.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.testkit.CloudHypervisorBinary;
import dev.virtualghost.ch.testkit.PvhTestGuest;
import dev.virtualghost.launcher.LaunchSpec;
import dev.virtualghost.launcher.Session;
import dev.virtualghost.launcher.junit.VirtualGhostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JUnit 5 extension in use: one VM for the class on the real cloud-hypervisor, booting the testkit's PVH test
 * guest, injected into each test. On a host without cloud-hypervisor the class is skipped with the reason.
 */
class TestGuestVmExampleTest {

    @RegisterExtension
    static VirtualGhostExtension vm = VirtualGhostExtension.perClass(() -> {
        try {
            // Under the build directory, so that nothing is left in /tmp; the run directory itself is removed.
            Path dir = Files.createDirectories(Path.of("target", "example-vm").toAbsolutePath());
            Path kernel = PvhTestGuest.builder()
                    .serialLine("hello from the test guest")
                    .mode(PvhTestGuest.Mode.HALT)
                    .build()
                    .writeTo(dir.resolve("guest.elf"));
            return LaunchSpec.builder()
                    .chBinary(CloudHypervisorBinary.find().orElse(Path.of("/nonexistent/cloud-hypervisor")))
                    .kernel(kernel)
                    .memoryBytes(64L << 20)
                    .vcpus(1)
                    .runtimeRoot(dir.resolve("run"))
                    .shutdownGrace(Duration.ofMillis(500))
                    .build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    });

    @Test
    void theGuestRunsAndPrints(Session vm) throws Exception {
        assertThat(vm.client().info().state().toString()).isEqualTo("Running");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!vm.serialTail(5).contains("hello from the test guest") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(vm.serialTail(5)).contains("hello from the test guest");
    }

    @Test
    void theVmmReportedTheBoot(Session vm) throws Exception {
        assertThat(vm.awaitEvent("vm", "booted", Duration.ofSeconds(10))).isPresent();
        assertThat(vm.events())
                .anySatisfy(e -> assertThat(e.is("vmm", "starting")).isTrue());
    }
}
