package dev.virtualghost.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.testkit.FakeCloudHypervisor;
import dev.virtualghost.ch.testkit.PvhTestGuest;
import dev.virtualghost.launcher.RunJournal;
import dev.virtualghost.launcher.testing.GuestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunCommandExample} through the whole launcher, with no Linux guest (none boots on this machine's KVM): the
 * fake CH runs as a child process in place of cloud-hypervisor, wires guest vsock port 22 to a real OpenSSH sshd
 * (launcher's {@link GuestSshd}, whose authorized key comes from the VM's kernel command line as the guest's boot
 * step does), and a console thread prints that sshd's host key and READY on the serial file as the guest does
 * (contract 5). Needs sshd, ssh-keygen, curl and root; skipped with the reason otherwise.
 */
class RunCommandExampleIT {
    @TempDir
    Path tmp;

    private final Output out = new Output();
    private final Output err = new Output();

    @Test
    void runsTheCommandInTheGuestAndExitsWithItsStatus() throws Exception {
        String missing = GuestSshd.missingReason();
        if (missing != null) {
            if (Boolean.getBoolean("virtualghost.it.strict")) {
                throw new AssertionError(missing);
            }
            Assumptions.abort(missing);
        }
        Path root = Files.createDirectory(tmp.resolve("rt"));
        try (GuestSshd sshd = GuestSshd.start(root)) {
            Path ch = sshd.wrapFakeCh(FakeCloudHypervisor.installLauncher(Files.createDirectory(tmp.resolve("fake"))));
            Path kernel = Files.writeString(tmp.resolve("vmlinux"), "a Linux kernel, as far as the fake is concerned");
            Thread console = guestConsole(root, sshd.hostKey());

            int status = RunCommandExample.run(
                    new String[] {
                        "--runtime-root",
                        root.toString(),
                        ch.toString(),
                        kernel.toString(),
                        "echo hello from the guest; echo oops >&2; exit 3"
                    },
                    out.stream(),
                    err.stream());

            assertThat(status).as(err.text() + sshd.log()).isEqualTo(3);
            assertThat(out.text()).isEqualTo("hello from the guest\n");
            assertThat(err.text()).isEqualTo("oops\n");
            console.join(5_000);
        }
        assertThat(RunJournal.runDirectories(root))
                .as("the session cleaned up its run")
                .isEmpty();
    }

    @Test
    void aGuestThatPowersOffBeforeSshIsOneErrorLine() throws Exception {
        Path ch = FakeCloudHypervisor.installLauncher(Files.createDirectory(tmp.resolve("fake")));
        Path kernel = PvhTestGuest.builder()
                .serialLine("panic: no init")
                .mode(PvhTestGuest.Mode.POWER_OFF)
                .build()
                .writeTo(tmp.resolve("dying.elf"));
        Path root = Files.createDirectory(tmp.resolve("rt"));

        int status = RunCommandExample.run(
                new String[] {"--runtime-root", root.toString(), ch.toString(), kernel.toString(), "true"},
                out.stream(),
                err.stream());

        assertThat(status).isEqualTo(255);
        assertThat(err.text()).hasLineCount(1).startsWith("error: ").contains("powered off");
        assertThat(out.text()).isEmpty();
    }

    @Test
    void badInputIsOneLineOrTheUsage() {
        assertThat(RunCommandExample.run(
                        new String[] {"--gpu", "01:00.0; rm -rf /", "ch", "k", "true"}, out.stream(), err.stream()))
                .isEqualTo(255);
        assertThat(err.text()).hasLineCount(1).startsWith("error: ");
        assertThat(RunCommandExample.run(
                        new String[] {tmp.resolve("nope").toString(), "k", "true"}, out.stream(), err.stream()))
                .isEqualTo(255);
        assertThat(err.text()).hasLineCount(2).contains("nope does not exist");
        assertThat(RunCommandExample.run(new String[] {"ch", "k"}, out.stream(), err.stream()))
                .isEqualTo(2);
        assertThat(RunCommandExample.run(new String[] {"--verbose", "x", "ch", "k", "c"}, out.stream(), err.stream()))
                .isEqualTo(2);
        assertThat(err.text()).contains("usage: RunCommandExample");
    }

    /** Plays the guest's console: once the VMM wrote the boot log, append the host key and READY (contract 5). */
    private static Thread guestConsole(Path root, String hostKey) {
        Thread t = new Thread(
                () -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    try {
                        while (System.nanoTime() < deadline) {
                            for (Path run : RunJournal.runDirectories(root)) {
                                Path serial = run.resolve("vmm/serial.log");
                                if (Files.exists(serial) && Files.size(serial) > 0) {
                                    Files.writeString(
                                            serial,
                                            "VIRTUALGHOST-HOSTKEY " + hostKey + "\nVIRTUALGHOST-READY\n",
                                            StandardOpenOption.APPEND);
                                    return;
                                }
                            }
                            Thread.sleep(20);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "guest-console");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
