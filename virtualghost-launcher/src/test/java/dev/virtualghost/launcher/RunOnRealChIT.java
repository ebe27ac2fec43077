package dev.virtualghost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.testkit.CloudHypervisorBinary;
import dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor;
import dev.virtualghost.launcher.testing.Guests;
import dev.virtualghost.launcher.testing.LauncherProcess;
import dev.virtualghost.launcher.testing.Leaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code virtualghost run --wait} as a real process against the real cloud-hypervisor (../shared/ch) with a
 * tiny PVH guest: power-off, SIGINT, SIGTERM, the VMM killed, each followed by the leak check.
 */
@RequiresCloudHypervisor
class RunOnRealChIT {
    @TempDir
    Path tmp;

    Path ch;
    Path root;

    @BeforeEach
    void setUp() throws Exception {
        ch = CloudHypervisorBinary.find().orElseThrow();
        root = Files.createDirectory(tmp.resolve("rt"));
    }

    private LauncherProcess run(Path kernel, String... extra) throws Exception {
        String[] all = new String[extra.length + 2];
        all[0] = "--shutdown-grace";
        all[1] = "500ms";
        System.arraycopy(extra, 0, all, 2, extra.length);
        return LauncherProcess.startWaitRun(tmp, root, ch, kernel, all);
    }

    @Test
    void aGuestThatPowersOffEndsTheRunWithZeroAndNothingLeft() throws Exception {
        Path kernel = Guests.poweringOff(tmp, "hello from the guest");
        try (LauncherProcess p = run(kernel)) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.stderr()).isZero();
            assertThat(p.stderr()).contains("the guest powered off");
        }
        Leaks.assertNothingLeftIn(root);
        Leaks.assertNoVmmUnder(root);
    }

    @Test
    void consoleShowsTheGuestsSerialLinesWithItsControlCharactersDefused() throws Exception {
        Path kernel = Guests.poweringOff(tmp, "hello from the guest \u001b]0;pwned\u0007 \u001b[2J done");
        try (LauncherProcess p = run(kernel, "--console")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.stderr()).isZero();
            assertThat(p.stdout())
                    .contains("hello from the guest ?]0;pwned? ?[2J done")
                    .doesNotContain("\u001b");
        }
        Leaks.assertNothingLeftIn(root);
    }

    @Test
    void sigintEndsAnIdleGuestGracefully() throws Exception {
        endsIdleGuestOn("INT", 130);
    }

    @Test
    void sigtermEndsAnIdleGuestGracefully() throws Exception {
        endsIdleGuestOn("TERM", 143);
    }

    private void endsIdleGuestOn(String signal, int expected) throws Exception {
        Path kernel = Guests.idle(tmp, "idle");
        try (LauncherProcess p = run(kernel)) {
            p.awaitStderr("VM running", Duration.ofSeconds(60));
            p.signal(signal);
            assertThat(p.awaitExit(Duration.ofSeconds(30))).as(p.stderr()).isEqualTo(expected);
            assertThat(p.stderr()).contains("SIG" + signal + ": shutting the VM down");
        }
        Leaks.assertNothingLeftIn(root);
        Leaks.assertNoVmmUnder(root);
    }

    @Test
    void aKilledVmmEndsTheRunWithinASecondWithItsLogTail() throws Exception {
        Path kernel = Guests.idle(tmp, "idle");
        try (LauncherProcess p = run(kernel)) {
            p.awaitStderr("VM running", Duration.ofSeconds(60));
            String line = p.stderr()
                    .lines()
                    .filter(l -> l.contains("vmm pid"))
                    .findFirst()
                    .orElseThrow();
            long vmm = Long.parseLong(line.replaceAll(".*vmm pid (\\d+).*", "$1"));
            long t0 = System.nanoTime();
            ProcessHandle.of(vmm).orElseThrow().destroyForcibly();
            assertThat(p.awaitExit(Duration.ofSeconds(30))).as(p.stderr()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(p.stderr()).contains("the VMM exited with status 137 (signal 9)", "VMM log tail:");
        }
        Leaks.assertNothingLeftIn(root);
    }

    @Test
    void aSecondSigintSkipsTheGracefulShutdownButStillCleansUp() throws Exception {
        Path kernel = Guests.idle(tmp, "idle");
        // The idle test guest ignores the power button, so a graceful unwind would wait out its 20 s grace.
        try (LauncherProcess p = LauncherProcess.startWaitRun(tmp, root, ch, kernel, "--shutdown-grace", "20s")) {
            p.awaitStderr("VM running", Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            p.signal("INT");
            p.awaitStderr("SIGINT: shutting the VM down", Duration.ofSeconds(10));
            Thread.sleep(300);
            p.signal("INT");
            assertThat(p.awaitExit(Duration.ofSeconds(30))).as(p.stderr()).isEqualTo(130);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        }
        Leaks.assertNothingLeftIn(root);
        Leaks.assertNoVmmUnder(root);
    }

    @Test
    void aConfigTheVmmRejectsEndsWithItsErrorChainInOneLine() throws Exception {
        Path notAKernel = Files.writeString(tmp.resolve("vmlinux"), "this is not a kernel");
        try (LauncherProcess p = run(notAKernel)) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.stderr()).isEqualTo(1);
            assertThat(p.stderr().strip().lines())
                    .as(p.stderr())
                    .singleElement()
                    .asString()
                    .startsWith("virtualghost: vm.boot: ")
                    .contains("The VM could not boot", "Invalid bzImage");
        }
        Leaks.assertNothingLeftIn(root);
        Leaks.assertNoVmmUnder(root);
    }
}
