package dev.virtualghost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.testkit.FakeCloudHypervisor;
import dev.virtualghost.ch.testkit.PvhTestGuest;
import dev.virtualghost.launcher.testing.GuestSshd;
import dev.virtualghost.launcher.testing.LauncherProcess;
import dev.virtualghost.launcher.testing.Leaks;
import dev.virtualghost.vsock.ssh.EphemeralKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH part of {@code run} (no Linux guest boots here): the fake CH runs as a process in place of
 * cloud-hypervisor, plays a PvhTestGuest whose serial lines carry a real sshd's host key and READY, and wires
 * guest vsock port 22 to that sshd. {@code run -- COMMAND} pins the key from the serial file, logs in with the
 * session's fresh key (which reached the "guest" only on the kernel command line), and exits with the command's
 * code; a wrong host key is refused; a guest that powers off first is reported in one line.
 */
class RunOverSshIT {
    @TempDir
    Path tmp;

    Path root;
    GuestSshd sshd;
    Path ch;

    @BeforeEach
    void setUp() throws Exception {
        String missing = GuestSshd.missingReason();
        if (missing != null) {
            if (Boolean.getBoolean("virtualghost.it.strict")) {
                throw new AssertionError(missing);
            }
            Assumptions.abort(missing);
        }
        root = Files.createDirectory(tmp.resolve("rt"));
        sshd = GuestSshd.start(root);
        ch = sshd.wrapFakeCh(FakeCloudHypervisor.installLauncher(Files.createDirectory(tmp.resolve("fake"))));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
    }

    /**
     * A kernel the fake plays as a Linux guest with a vsock driver (a PvhTestGuest would be the tiny guest,
     * which has none), and a thread that plays that guest's console: once the fake has written its boot log to
     * the serial file, it appends the host key and READY lines, as the guest prints them when sshd is up.
     */
    private Path guest(String hostKey) throws Exception {
        Thread console = new Thread(
                () -> {
                    try {
                        long deadline =
                                System.nanoTime() + Duration.ofSeconds(60).toNanos();
                        while (System.nanoTime() < deadline) {
                            for (Path run : RunJournal.runDirectories(root)) {
                                Path serial = run.resolve("vmm/serial.log");
                                if (Files.exists(serial) && Files.size(serial) > 0) {
                                    Files.writeString(
                                            serial,
                                            "VIRTUALGHOST-HOSTKEY " + hostKey + "\nVIRTUALGHOST-READY\n",
                                            java.nio.file.StandardOpenOption.APPEND);
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
        console.setDaemon(true);
        console.start();
        return Files.writeString(tmp.resolve("vmlinux"), "a Linux kernel, as far as the fake is concerned");
    }

    private LauncherProcess run(Path kernel, String... command) throws Exception {
        String[] base = {
            "run",
            "--ch-binary",
            ch.toString(),
            "--kernel",
            kernel.toString(),
            "--memory",
            "64M",
            "--shutdown-grace",
            "1s",
            "--timeout",
            "60s",
            "--"
        };
        String[] all = new String[base.length + command.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(command, 0, all, base.length, command.length);
        return LauncherProcess.start(tmp, root, all);
    }

    @Test
    void aCommandRunsInTheGuestOverPinnedSshAndItsExitCodeIsRuns() throws Exception {
        Path kernel = guest(sshd.hostKey());
        try (LauncherProcess p = run(kernel, "echo", "hello from the guest;", "exit", "7")) {
            assertThat(p.awaitExit(Duration.ofSeconds(90)))
                    .as(p.stderr() + sshd.log())
                    .isEqualTo(7);
            assertThat(p.stdout()).isEqualTo("hello from the guest\n");
        }
        Leaks.assertNothingLeftIn(root);
        Leaks.assertNoVmmUnder(root);
    }

    @Test
    void aWrongHostKeyOnTheSerialConsoleIsRefused() throws Exception {
        String impostor;
        try (EphemeralKey other = EphemeralKey.generate()) {
            String[] parts = other.publicKeyLine().split(" ");
            impostor = parts[0] + " " + parts[1];
        }
        Path kernel = guest(impostor);
        try (LauncherProcess p = run(kernel, "true")) {
            assertThat(p.awaitExit(Duration.ofSeconds(90))).as(p.stderr()).isEqualTo(1);
            assertThat(p.stderr().strip().lines().filter(l -> l.startsWith("virtualghost: guest.ready")))
                    .singleElement()
                    .asString()
                    .containsIgnoringCase("host key");
            assertThat(p.stdout()).isEmpty();
        }
        Leaks.assertNothingLeftIn(root);
    }

    @Test
    void aGuestThatPowersOffBeforeSshIsReportedInOneLine() throws Exception {
        Path kernel = PvhTestGuest.builder()
                .serialLine("panic: no init")
                .mode(PvhTestGuest.Mode.POWER_OFF)
                .build()
                .writeTo(tmp.resolve("dying.elf"));
        long t0 = System.nanoTime();
        try (LauncherProcess p = run(kernel, "true")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.stderr()).isEqualTo(1);
            assertThat(p.stderr()).contains("guest.ready: the guest powered off before it was reachable over SSH");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        Leaks.assertNothingLeftIn(root);
    }

    @Test
    void execReachesTheGuestOfASessionAnotherRunStarted() throws Exception {
        Path kernel = guest(sshd.hostKey());
        try (LauncherProcess session = run(kernel, "sleep", "60")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (RunJournal.runDirectories(root).stream().noneMatch(r -> journalHas(r, RunJournal.SSH_HOST_KEY))) {
                assertThat(System.nanoTime() < deadline && session.process().isAlive())
                        .as(session.stderr())
                        .isTrue();
                Thread.sleep(50);
            }
            try (LauncherProcess exec =
                    LauncherProcess.start(tmp, root, "exec", "--", "echo", "second;", "exit", "3")) {
                assertThat(exec.awaitExit(Duration.ofSeconds(60)))
                        .as(exec.stderr())
                        .isEqualTo(3);
                assertThat(exec.stdout()).isEqualTo("second\n");
            }
            try (LauncherProcess wrong = LauncherProcess.start(tmp, root, "exec", "--run", "nope", "--", "true")) {
                assertThat(wrong.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
                assertThat(wrong.stderr()).contains("no running session nope with SSH under " + root);
            }
            session.signal("INT");
            assertThat(session.awaitExit(Duration.ofSeconds(20)))
                    .as(session.stderr())
                    .isEqualTo(130);
        }
        Leaks.assertNothingLeftIn(root);
    }

    @Test
    void theSessionApiExecsAndTunnelsToTheGuest() throws Exception {
        LaunchSpec spec = LaunchSpec.builder()
                .chBinary(ch)
                .kernel(guest(sshd.hostKey()))
                .memoryBytes(64L << 20)
                .runtimeRoot(root)
                .ssh(true)
                .shutdownGrace(Duration.ofMillis(500))
                .build();
        try (Session vm = Launcher.builder().spec(spec).build().start()) {
            dev.virtualghost.vsock.ssh.ExecResult r = vm.exec("echo from the api; exit 4", Duration.ofSeconds(30));
            assertThat(r.exitStatus()).isEqualTo(4);
            assertThat(r.stdoutText()).isEqualTo("from the api\n");
            try (dev.virtualghost.vsock.VsockTunnel t = vm.tunnel(0, 22);
                    java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), t.localPort())) {
                s.setSoTimeout(10_000);
                byte[] banner = new byte[8];
                assertThat(s.getInputStream().readNBytes(banner, 0, 8)).isEqualTo(8);
                assertThat(new String(banner, java.nio.charset.StandardCharsets.US_ASCII))
                        .isEqualTo("SSH-2.0-");
            }
        }
        Leaks.assertNothingLeftIn(root);
        Leaks.assertNoVmmUnder(root);
    }

    private static boolean journalHas(Path run, String key) {
        try {
            return RunJournal.read(run).containsKey(key);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
