package dev.virtualghost.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.ch.model.VmInfo;
import dev.virtualghost.ch.testkit.FakeCloudHypervisor;
import dev.virtualghost.ch.testkit.PvhTestGuest;
import dev.virtualghost.launcher.testing.Leaks;
import dev.virtualghost.vfio.FakeSysfs;
import dev.virtualghost.vfio.Rigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The full GPU path where this host cannot run it for real: the GPU and its audio function in a FakeSysfs tree
 * (the fake kernel plays the driver core), the testkit's fake CH as a process in place of cloud-hypervisor with
 * VFIO available ({@code VIRTUALGHOST_FAKE_CH_VFIO=1}), playing a PvhTestGuest. Then the fault matrix: a failure
 * injected before and after every step, each followed by the leak check.
 */
class GpuFlowOnFakeChTest {
    @TempDir
    Path tmp;

    FakeSysfs fs;
    Path root;
    Path ch;

    @BeforeEach
    void setUp() throws Exception {
        fs = Rigs.desktop(tmp);
        root = Files.createDirectory(tmp.resolve("rt"));
        Path fake = FakeCloudHypervisor.installLauncher(Files.createDirectory(tmp.resolve("fake")));
        ch = tmp.resolve("fake/cloud-hypervisor-with-vfio");
        Files.writeString(ch, "#!/bin/sh\nexport VIRTUALGHOST_FAKE_CH_VFIO=1\nexec '" + fake + "' \"$@\"\n");
        Files.setPosixFilePermissions(ch, PosixFilePermissions.fromString("rwx------"));
    }

    private Launcher.Builder launcher(PvhTestGuest guest) {
        Path kernel = guest.writeTo(tmp.resolve("guest.elf"));
        return Launcher.builder()
                .sysfsWriter(fs)
                .spec(LaunchSpec.builder()
                        .chBinary(ch)
                        .kernel(kernel)
                        .memoryBytes(64L << 20)
                        .vcpus(1)
                        .gpu(PciAddress.parse(Rigs.GPU))
                        .sysRoot(fs.root())
                        .runtimeRoot(root)
                        .shutdownGrace(Duration.ofMillis(500))
                        .build());
    }

    @Test
    void bindCreateWithTheGroupBootPowerOffRestore() throws Exception {
        PvhTestGuest guest = PvhTestGuest.builder()
                .serialLine("kiosk up")
                .mode(PvhTestGuest.Mode.POWER_OFF_AFTER_DELAY)
                .powerOffDelay(Duration.ofSeconds(2))
                .build();
        try (Session vm = launcher(guest).build().start()) {
            assertThat(fs.driverOf(Rigs.GPU)).isEqualTo("vfio-pci");
            assertThat(fs.driverOf(Rigs.AUDIO)).isEqualTo("vfio-pci");
            VmInfo info = vm.client().info();
            assertThat(info.config().devices())
                    .extracting(d -> d.path())
                    .containsExactly(
                            fs.root().resolve("bus/pci/devices/" + Rigs.GPU).toString(),
                            fs.root().resolve("bus/pci/devices/" + Rigs.AUDIO).toString());
            Optional<SessionExit> exit = vm.awaitExit(Duration.ofSeconds(30));
            assertThat(exit).hasValueSatisfying(e -> assertThat(e.poweredOff()).isTrue());
            assertThat(vm.serialTail(10)).contains("kiosk up");
            assertThat(vm.awaitEvent("vm", "booted", Duration.ofSeconds(5))).isPresent();
        }
        assertRestoredAndNothingLeft();
    }

    static Stream<String> steps() {
        return Launcher.defaultSteps().stream().map(Step::name);
    }

    @ParameterizedTest(name = "failure before {0}")
    @MethodSource("steps")
    void aFailureBeforeAnyStepLeavesNothing(String step) throws Exception {
        injectAndCheck(step, true);
    }

    @ParameterizedTest(name = "failure after {0}")
    @MethodSource("steps")
    void aFailureAfterAnyStepLeavesNothing(String step) throws Exception {
        injectAndCheck(step, false);
    }

    private void injectAndCheck(String step, boolean before) throws Exception {
        PvhTestGuest idle = PvhTestGuest.builder()
                .serialLine("idle")
                .mode(PvhTestGuest.Mode.HALT)
                .build();
        Launcher l = launcher(idle)
                .customize(flow -> {
                    Step real = Launcher.defaultSteps().stream()
                            .filter(s -> s.name().equals(step))
                            .findFirst()
                            .orElseThrow();
                    flow.replace(step, Step.of(step, ctx -> {
                        if (!before) {
                            real.run(ctx);
                        }
                        throw new IOException("injected " + (before ? "before " : "after ") + step);
                    }));
                })
                .build();

        assertThatThrownBy(l::start)
                .isInstanceOf(FlowException.class)
                .hasMessage(step + ": injected " + (before ? "before " : "after ") + step);
        assertRestoredAndNothingLeft();
    }

    private void assertRestoredAndNothingLeft() throws IOException {
        assertThat(fs.driverOf(Rigs.GPU)).isEqualTo("nvidia");
        assertThat(fs.driverOf(Rigs.AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(List.of(fs.overrideOf(Rigs.GPU), fs.overrideOf(Rigs.AUDIO))).containsOnly("(null)");
        Leaks.assertNothingLeftIn(root);
        Leaks.assertNoVmmUnder(root);
    }
}
