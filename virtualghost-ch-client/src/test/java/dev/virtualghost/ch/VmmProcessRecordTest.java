package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link VmmProcessRecord} with real processes ({@code sleep}) standing in for a VMM. */
class VmmProcessRecordTest {

    @TempDir
    Path dir;

    @Test
    void writeIsPrivateAndReadGivesTheSameRecordBack() throws Exception {
        VmmProcessRecord r = new VmmProcessRecord(
                1234, 5678, List.of("/bin/ch", "--api-socket", "path=a b=c\n"), dir.resolve("api.sock"));
        Path file = dir.resolve("vmm.record");
        r.writeTo(file);
        assertThat(VmmProcessRecord.read(file)).contains(r);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
        assertThat(Files.isRegularFile(file)).isTrue();
        assertThat(permissions(file)).isEqualTo("rw-------");
    }

    private static String permissions(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void missingOrForeignFileReadsAsEmpty() throws Exception {
        assertThat(VmmProcessRecord.read(dir.resolve("none"))).isEmpty();
        Files.writeString(dir.resolve("junk"), "pid=abc\n");
        assertThat(VmmProcessRecord.read(dir.resolve("junk"))).isEmpty();
    }

    @Test
    void aRecycledPidWithAnotherStartTimeIsNotRunningAndIsNeverSignalled() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            VmmProcessRecord live = VmmProcessRecord.of(sleep.pid(), List.of("sleep", "30"), dir.resolve("s"));
            assertThat(live.isRunning()).isTrue();
            VmmProcessRecord recycled =
                    new VmmProcessRecord(sleep.pid(), live.startTicks() - 1, live.command(), live.socket());
            assertThat(recycled.isRunning()).isFalse();
            assertThat(recycled.stop(Duration.ofMillis(100)))
                    .as("nothing of ours runs")
                    .isTrue();
            assertThat(sleep.isAlive())
                    .as("the process with the recycled pid was left alone")
                    .isTrue();
            assertThat(live.stop(Duration.ofSeconds(5))).isTrue();
            assertThat(sleep.waitFor()).isEqualTo(143);
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void stopEscalatesToSigkillWhenSigtermIsIgnored() throws Exception {
        Process stubborn = new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; sleep 30 & wait").start();
        try {
            assertThat(new String(stubborn.getInputStream().readNBytes(6))).isEqualTo("ready\n");
            VmmProcessRecord r = VmmProcessRecord.of(stubborn.pid(), List.of("sh"), dir.resolve("s"));
            long t0 = System.nanoTime();
            assertThat(r.stop(Duration.ofMillis(300))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(stubborn.waitFor()).isEqualTo(137);
        } finally {
            stubborn.descendants().forEach(ProcessHandle::destroyForcibly);
            stubborn.destroyForcibly();
        }
    }
}
