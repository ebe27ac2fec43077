package dev.virtualghost.ch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.ch.ChConnectionException;
import dev.virtualghost.ch.ChEvent;
import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.ChTimeoutException;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChProcess} driving the fake {@code cloud-hypervisor} as a real child process (a JVM started through
 * the launcher script with CH's flags). Child start-ups are few: each case needs its own VMM behaviour.
 */
class ChProcessTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    static Path bin;

    @TempDir
    Path dir;

    private static Path binary;

    @BeforeAll
    static void install() {
        binary = FakeCloudHypervisor.installLauncher(bin);
    }

    /** The fake VMM; it checks request bodies against CH's OpenAPI file whenever ../shared/spec is present. */
    private static ChProcess.Builder fake() {
        ChProcess.Builder b = ChProcess.builder().binary(binary);
        Path spec = SharedSpec.find();
        if (spec != null) {
            b.environment("VIRTUALGHOST_FAKE_CH_SPEC", spec.toString());
        }
        return b;
    }

    @Test
    void guestPowerOffEndsTheVmmButVmShutdownDoesNot() throws Exception {
        try (ChProcess ch = fake().start()) {
            ch.awaitApi(START);
            ch.client()
                    .create(VmConfig.builder()
                            .payload(PayloadConfig.ofKernel("/boot/vmlinux", "console=ttyS0"))
                            .serial(ch.serialConfig())
                            .build());
            ch.client().boot();
            assertThat(ch.serialTail(10)).contains("Linux version", "Command line: console=ttyS0");
            ch.client().shutdown();
            assertThat(ch.isAlive()).as("vm.shutdown keeps the VMM").isTrue();
            ch.client().boot();
            ch.client().powerButton();
            assertThat(ch.handle()
                            .onExit()
                            .get(10, java.util.concurrent.TimeUnit.SECONDS)
                            .isAlive())
                    .isFalse();
            assertThat(ch.exitCode()).hasValue(0);
            assertThat(ch.logTail(5)).contains("VM exit event");
        }
    }

    @Test
    void noShutdownKeepsTheVmmAfterGuestPowerOff() throws Exception {
        try (ChProcess ch = fake().extraArgs("--no-shutdown", "-vv").start()) {
            ch.awaitApi(START);
            ch.client()
                    .create(VmConfig.builder()
                            .payload(PayloadConfig.ofKernel("/boot/vmlinux", null))
                            .build());
            ch.client().boot();
            ch.client().powerButton();
            Thread.sleep(300);
            assertThat(ch.isAlive()).isTrue();
            assertThat(ch.client().info().state()).isEqualTo(VmState.SHUTDOWN);
        }
    }

    @Test
    void startsAnswersPingDeliversEventsAndCloseLeavesNothing() throws Exception {
        List<ChEvent> events = new CopyOnWriteArrayList<>();
        ChProcess ch = fake().eventListener(events::add).start();
        Path runtime = ch.runtimeDir();
        ProcessHandle handle = ch.handle();
        try {
            assertThat(Files.getPosixFilePermissions(runtime)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            ch.awaitApi(START);
            assertThat(ch.client().ping().version()).isEqualTo(FakeCloudHypervisor.DEFAULT_VERSION);
            ch.client()
                    .create(VmConfig.builder()
                            .payload(PayloadConfig.ofKernel("/boot/vmlinux", null))
                            .build());
            ch.client().boot();
            awaitEvent(events, "vm", "booted");
            assertThat(events.get(0).source() + "/" + events.get(0).event()).isEqualTo("vmm/starting");
            assertThat(events).anyMatch(e -> e.is("vm", "booting"));
            assertThat(Path.of(ch.socket() + ".lock")).exists();
        } finally {
            ch.close();
        }
        assertThat(handle.isAlive()).isFalse();
        assertThat(ProcessHandle.current().descendants().filter(p -> p.pid() == handle.pid()))
                .isEmpty();
        assertThat(ch.exitCode()).as("clean exit after vmm.shutdown").hasValue(0);
        assertThat(runtime).doesNotExist();
        assertThat(names(events))
                .as("as the real CH: vmm.shutdown deletes the VM")
                .endsWith("vm/shutdown", "vm/deleted", "vmm/shutdown");
        ch.close();
    }

    @Test
    void vmmThatDiesDuringStartUpFailsAwaitAtOnceWithItsLogTail() {
        long t0 = System.nanoTime();
        // start() waits for the API and reports the death at once with the log tail.
        assertThatThrownBy(() -> fake().environment("VIRTUALGHOST_FAKE_CH_FAIL_START", "Failed to open /dev/kvm")
                        .start())
                .isInstanceOf(ChConnectionException.class)
                .hasMessageContaining("exited with status 1")
                .hasMessageContaining("Error booting VMM: Failed to open /dev/kvm");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(START.dividedBy(3));
    }

    @Test
    void missingBinaryIsAClearError() {
        assertThatThrownBy(() -> ChProcess.builder()
                        .binary(dir.resolve("cloud-hypervisor"))
                        .start())
                .isInstanceOf(ChConnectionException.class)
                .hasMessageContaining("no such file")
                .hasMessageContaining(dir.resolve("cloud-hypervisor").toString());
    }

    @Test
    void slowVmmTimesOutTheStartAndLeavesNothing() {
        long t0 = System.nanoTime();
        List<ProcessHandle> before = ProcessHandle.current().children().collect(Collectors.toList());
        assertThatThrownBy(() -> fake().environment("VIRTUALGHOST_FAKE_CH_START_DELAY_MS", "20000")
                        .startTimeout(Duration.ofMillis(600))
                        .start())
                .isInstanceOf(ChTimeoutException.class)
                .hasMessageContaining("PT0.6S");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(ProcessHandle.current()
                        .children()
                        .filter(p -> !before.contains(p))
                        .filter(ProcessHandle::isAlive))
                .as("the slow VMM was stopped")
                .isEmpty();
    }

    @Test
    void binaryNotOnPathIsAClearError() {
        Assumptions.assumeTrue(
                Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                        .noneMatch(d -> Files.isExecutable(Path.of(d.isEmpty() ? "." : d, "cloud-hypervisor"))),
                "a real cloud-hypervisor is on PATH here");
        assertThatThrownBy(() -> ChProcess.builder().start())
                .isInstanceOf(ChConnectionException.class)
                .hasMessageContaining("not found on PATH")
                .hasMessageContaining("binary(path)");
    }

    @Test
    void closeEscalatesToSigtermWhenVmmShutdownHangs() throws Exception {
        Path runtime = Files.createDirectory(
                dir.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ChProcess ch = fake().runtimeDir(runtime)
                .environment("VIRTUALGHOST_FAKE_CH_HANG_SHUTDOWN", "1")
                .shutdownTimeout(Duration.ofMillis(500))
                .termTimeout(Duration.ofSeconds(20))
                .start();
        ch.awaitApi(START);
        ch.close();
        assertThat(ch.isAlive()).isFalse();
        // The fake exits 0 on SIGTERM, as CH does; a SIGKILL would show 137.
        assertThat(ch.exitCode()).hasValue(0);
        assertThat(Files.readString(runtime.resolve("ch.log"))).contains("Received termination signal");
        assertThat(runtime.resolve("api.sock")).doesNotExist();
        assertThat(runtime.resolve("api.sock.lock")).doesNotExist();
        assertThat(runtime).as("a caller-given runtime dir is kept").exists();
    }

    @Test
    void closeEscalatesToSigkillWhenSigtermIsIgnored() throws Exception {
        Path runtime = Files.createDirectory(
                dir.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ChProcess ch = fake().runtimeDir(runtime)
                .environment("VIRTUALGHOST_FAKE_CH_HANG_SHUTDOWN", "1")
                .environment("VIRTUALGHOST_FAKE_CH_IGNORE_SIGTERM", "1")
                .shutdownTimeout(Duration.ofMillis(300))
                .termTimeout(Duration.ofMillis(700))
                .start();
        ch.awaitApi(START);
        long t0 = System.nanoTime();
        ch.close();
        assertThat(ch.isAlive()).isFalse();
        assertThat(ch.exitCode()).as("killed by SIGKILL").hasValue(128 + 9);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        assertThat(Files.readString(runtime.resolve("ch.log"))).contains("Ignoring termination signal");
        assertThat(runtime.resolve("api.sock")).doesNotExist();
        assertThat(runtime.resolve("api.sock.lock")).doesNotExist();
    }

    private static List<String> names(List<ChEvent> events) {
        return events.stream().map(e -> e.source() + "/" + e.event()).collect(Collectors.toList());
    }

    private static void awaitEvent(List<ChEvent> events, String source, String event) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.stream().noneMatch(e -> e.is(source, event))) {
            assertThat(System.nanoTime())
                    .as("event %s/%s within 10 s, got %s", source, event, names(events))
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
