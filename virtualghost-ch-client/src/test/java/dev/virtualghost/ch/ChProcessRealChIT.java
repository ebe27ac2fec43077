package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.ch.internal.process.ApiWait;
import dev.virtualghost.ch.internal.process.RuntimeDir;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChProcess} against the REAL {@code cloud-hypervisor} (v54 from {@code ../shared/ch}): start returns only for
 * our own child, a directory held by an orphan is refused and its files survive, a stale socket and lock from a
 * killed CH do not block, and CH does not outlive a JVM killed with SIGKILL. No guest is needed: the VMM alone
 * answers {@code vmm.ping} and writes its events.
 */
class ChProcessRealChIT {

    private Path binary;

    @TempDir
    Path tmp;

    @BeforeEach
    void binary() {
        binary = RealCh.binary();
    }

    private Path privateDir(String name) throws Exception {
        return Files.createDirectory(
                tmp.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private Process rawCh(Path dir) throws Exception {
        return new ProcessBuilder(binary.toString(), "--api-socket", "path=" + dir.resolve("api.sock"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("raw.log").toFile())
                .start();
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(file).exists();
    }

    @Test
    void startReturnsOnlyOnceOurOwnChildAnswersPingAndWritesItsRecord() throws Exception {
        try (ChProcess ch = ChProcess.builder().binary(binary).start()) {
            assertThat(ch.client().ping().pid()).isEqualTo(ch.pid());
            assertThat(ch.isAlive()).isTrue();
            Path recordFile = ch.runtimeDir().resolve(VmmProcessRecord.FILE_NAME);
            assertThat(Files.getPosixFilePermissions(recordFile))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            VmmProcessRecord record = VmmProcessRecord.read(recordFile).orElseThrow();
            assertThat(record).isEqualTo(ch.record());
            assertThat(record.pid()).isEqualTo(ch.pid());
            assertThat(record.socket()).isEqualTo(ch.socket());
            assertThat(record.command()).contains(binary.toString(), "--api-socket");
            assertThat(record.isRunning()).isTrue();
        }
    }

    @Test
    void runtimeDirHeldByARunningOrphanIsRefusedWithItsPidAndNothingOfItsIsRemoved() throws Exception {
        Path dir = privateDir("run");
        Process orphan = rawCh(dir);
        try {
            awaitFile(dir.resolve("api.sock"));
            Thread.sleep(100);
            assertThatThrownBy(() ->
                            ChProcess.builder().binary(binary).runtimeDir(dir).start())
                    .isInstanceOf(ChConnectionException.class)
                    .hasMessageContaining("is in use by cloud-hypervisor pid " + orphan.pid())
                    .hasMessageNotContaining("\n");
            assertThat(dir.resolve("api.sock")).exists();
            assertThat(dir.resolve("api.sock.lock")).exists();
            try (ChClient c = ChClient.builder().socket(dir.resolve("api.sock")).build()) {
                assertThat(c.ping().pid()).as("the orphan still answers").isEqualTo(orphan.pid());
            }
        } finally {
            orphan.destroyForcibly().waitFor();
        }
    }

    @Test
    void anApiAnsweredByAnotherVmmIsNeverTakenForOurChildsApi() throws Exception {
        Path dir = privateDir("run");
        Process orphan = rawCh(dir);
        // Stands in for our child that died on the orphan's lock, or has not bound yet: it never answers.
        Process ours = new ProcessBuilder("sleep", "30").start();
        try {
            awaitFile(dir.resolve("api.sock"));
            assertThatThrownBy(() -> ApiWait.await(
                            ours, "cloud-hypervisor", dir.resolve("api.sock"), Duration.ofSeconds(10), () -> ""))
                    .isInstanceOf(ChConnectionException.class)
                    .hasMessageContaining("answered by another cloud-hypervisor (pid " + orphan.pid() + ")")
                    .hasMessageContaining("not by the one just started (pid " + ours.pid() + ")");
        } finally {
            ours.destroyForcibly();
            orphan.destroyForcibly().waitFor();
        }
    }

    @Test
    void staleSocketAndLockOfAKilledVmmDoNotBlockStart() throws Exception {
        Path dir = privateDir("run");
        Process killed = rawCh(dir);
        awaitFile(dir.resolve("api.sock"));
        killed.destroyForcibly().waitFor();
        assertThat(dir.resolve("api.sock")).exists();
        assertThat(dir.resolve("api.sock.lock")).exists();
        long t0 = System.nanoTime();
        try (ChProcess ch = ChProcess.builder().binary(binary).runtimeDir(dir).start()) {
            assertThat(ch.client().ping().pid()).isEqualTo(ch.pid());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(dir.resolve("api.sock")).doesNotExist();
        assertThat(dir.resolve("api.sock.lock")).doesNotExist();
        assertThat(dir.resolve(VmmProcessRecord.FILE_NAME)).doesNotExist();
    }

    @Test
    void awaitEventFindsPastEventsAndStopsWaitingOnceTheVmmExited() throws Exception {
        try (ChProcess ch = ChProcess.builder().binary(binary).start()) {
            assertThat(ch.awaitEvent("vmm", "starting", Duration.ofSeconds(5))).isPresent();
            ch.client().shutdownVmm();
            assertThat(ch.awaitExit(Duration.ofSeconds(10))).hasValue(0);
            // CH's event thread can lose its last event when the VMM exits (measured with v54, also on an idle host:
            // an events file holding only "vmm starting" after a clean exit 0). So: whatever the file holds is found,
            // and nothing more is waited for.
            long t1 = System.nanoTime();
            Optional<ChEvent> shutdown = ch.awaitEvent("vmm", "shutdown", Duration.ofSeconds(20));
            assertThat(Duration.ofNanos(System.nanoTime() - t1))
                    .as("no wait for an event the file cannot get any more")
                    .isLessThan(Duration.ofSeconds(3));
            String file = Files.readString(ch.runtimeDir().resolve("events.json"));
            assertThat(shutdown.isPresent())
                    .as("events %s, file %s", ch.events(), file)
                    .isEqualTo(file.contains("\"event\": \"shutdown\""));
            long t0 = System.nanoTime();
            assertThat(ch.awaitEvent("vm", "booted", Duration.ofSeconds(20))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .as("no wait for events a dead VMM cannot write")
                    .isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void awaitExitIsEmptyWhileTheVmmRuns() {
        try (ChProcess ch = ChProcess.builder().binary(binary).start()) {
            assertThat(ch.awaitExit(Duration.ofMillis(100))).isEmpty();
        }
    }

    /** Starts {@link ChProcessChildMain} in a new JVM and returns it with the CH pid and runtime dir it printed. */
    private record Child(Process jvm, long chPid, Path runtimeDir) {}

    private Child child(String mode, boolean dieWithJvm, boolean closeOnExit) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ChProcessChildMain.class.getName(),
                        binary.toString(),
                        mode,
                        Boolean.toString(dieWithJvm),
                        Boolean.toString(closeOnExit))
                .redirectError(tmp.resolve("child.err").toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line)
                .as("child output; stderr: %s", Files.readString(tmp.resolve("child.err")))
                .startsWith("READY ");
        String[] parts = line.split(" ");
        return new Child(jvm, Long.parseLong(parts[1]), Path.of(parts[2]));
    }

    private static boolean gone(long pid, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Test
    void vmmDiesWithItsJvmWhenThatJvmIsKilledWithSigkill() throws Exception {
        Child c = child("hold", true, false);
        try {
            assertThat(ProcessHandle.of(c.chPid())).isPresent();
            c.jvm().destroyForcibly().waitFor();
            assertThat(c.jvm().exitValue()).isEqualTo(128 + 9);
            assertThat(gone(c.chPid(), Duration.ofSeconds(2)))
                    .as("CH %d gone within 2 s of kill -9", c.chPid())
                    .isTrue();
        } finally {
            ProcessHandle.of(c.chPid()).ifPresent(ProcessHandle::destroyForcibly);
            RuntimeDir.deleteRecursively(c.runtimeDir());
        }
    }

    @Test
    void withoutDeathSignalTheRecordFindsAndStopsTheVmmAKilledJvmLeft() throws Exception {
        Child c = child("hold", false, false);
        try {
            c.jvm().destroyForcibly().waitFor();
            Thread.sleep(300);
            VmmProcessRecord record = VmmProcessRecord.read(c.runtimeDir().resolve(VmmProcessRecord.FILE_NAME))
                    .orElseThrow();
            assertThat(record.pid()).isEqualTo(c.chPid());
            assertThat(record.isRunning())
                    .as("orphan outlives its JVM without pdeathsig")
                    .isTrue();
            assertThatThrownBy(() -> ChProcess.builder()
                            .binary(binary)
                            .runtimeDir(c.runtimeDir())
                            .start())
                    .isInstanceOf(ChConnectionException.class)
                    .hasMessageContaining("pid " + c.chPid());
            assertThat(record.stop(Duration.ofSeconds(5))).isTrue();
            // Gone or a zombie waiting for its new parent to reap it: either way, no VMM runs any more.
            assertThat(record.isRunning()).isFalse();
        } finally {
            ProcessHandle.of(c.chPid()).ifPresent(ProcessHandle::destroyForcibly);
            RuntimeDir.deleteRecursively(c.runtimeDir());
        }
    }

    @Test
    void closeOnJvmExitStopsTheVmmAndRemovesItsDirWhenTheJvmExitsWithoutClose() throws Exception {
        Child c = child("exit", false, true);
        assertThat(c.jvm().waitFor(20, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(gone(c.chPid(), Duration.ofSeconds(2))).isTrue();
            assertThat(c.runtimeDir()).as("close() ran in the hook").doesNotExist();
        } finally {
            ProcessHandle.of(c.chPid()).ifPresent(ProcessHandle::destroyForcibly);
            RuntimeDir.deleteRecursively(c.runtimeDir());
        }
    }

    @Test
    void commandLineOfTheRecordIsTheVmmsNotTheWrapper() throws Exception {
        try (ChProcess ch = ChProcess.builder().binary(binary).start()) {
            List<String> cmd = ProcessHandle.of(ch.pid())
                    .orElseThrow()
                    .info()
                    .arguments()
                    .map(List::of)
                    .orElse(List.of());
            assertThat(ProcessHandle.of(ch.pid()).orElseThrow().info().command())
                    .hasValueSatisfying(c -> assertThat(c).endsWith("cloud-hypervisor"));
            assertThat(cmd).contains("--api-socket");
        }
    }
}
