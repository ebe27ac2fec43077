package dev.virtualghost.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.testkit.CloudHypervisorBinary;
import dev.virtualghost.ch.testkit.FakeCloudHypervisor;
import dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TestGuestBootExample} on the real cloud-hypervisor from ../shared (skipped with the reason without it),
 * on the fake CH as a child process (which plays the same test guest from its descriptor note), and with bad input.
 */
class TestGuestBootExampleIT {
    private final Output out = new Output();
    private final Output err = new Output();

    @Test
    @RequiresCloudHypervisor
    void bootsTheTestGuestOnTheRealVmmAndSeesItPowerOff() {
        Path ch = CloudHypervisorBinary.find().orElseThrow();

        int status = TestGuestBootExample.run(
                new String[] {ch.toString(), "marker from the example test"}, out.stream(), err.stream());

        assertThat(err.text()).isEmpty();
        assertThat(status).isZero();
        assertThat(out.text())
                .contains("serial: marker from the example test")
                .containsSubsequence("event: vmm starting", "event: vm booted", "event: vm shutdown")
                .contains("guest powered off; cloud-hypervisor exited with status 0")
                .containsPattern("cloud-hypervisor v?\\d+\\.\\d+.* running as pid \\d+");
    }

    @Test
    void playsTheSameGuestOnTheFakeVmm(@TempDir Path dir) throws Exception {
        Path ch = FakeCloudHypervisor.installLauncher(Files.createDirectory(dir.resolve("bin")));

        int status = TestGuestBootExample.run(new String[] {ch.toString()}, out.stream(), err.stream());

        assertThat(err.text()).isEmpty();
        assertThat(status).isZero();
        assertThat(out.text())
                .contains("serial: " + TestGuestBootExample.DEFAULT_MARKER)
                .containsSubsequence("event: vm booted", "event: vm shutdown")
                .contains("cloud-hypervisor exited with status 0");
    }

    @Test
    void aMissingBinaryIsOneErrorLine(@TempDir Path dir) {
        int status = TestGuestBootExample.run(
                new String[] {dir.resolve("no-such-ch").toString()}, out.stream(), err.stream());

        assertThat(status).isEqualTo(1);
        assertThat(err.text()).hasLineCount(1).startsWith("error: ").contains("no-such-ch");
        assertThat(out.text()).isEmpty();
    }

    @Test
    void aWrongCommandLinePrintsTheUsage() {
        assertThat(TestGuestBootExample.run(new String[] {"a", "b", "c"}, out.stream(), err.stream()))
                .isEqualTo(2);
        assertThat(err.text()).startsWith("usage: TestGuestBootExample");
    }

    @Test
    void aMarkerTheGuestCannotPrintIsRefused() {
        assertThat(TestGuestBootExample.run(new String[] {"ch", "caf\u00e9"}, out.stream(), err.stream()))
                .isEqualTo(2);
        assertThat(err.text()).hasLineCount(1).startsWith("error: the marker");
    }
}
