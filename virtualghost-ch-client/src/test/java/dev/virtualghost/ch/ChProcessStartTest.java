package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChProcess} start-up edges with a tiny shell script standing in for {@code cloud-hypervisor}: a
 * failed start leaves no directory behind, a caller's runtime directory must be private, the builder's values are
 * copied, and a VMM that dies during start-up shows what the guest printed on its serial console.
 */
class ChProcessStartTest {

    @TempDir
    Path dir;

    private Path script(String body) throws Exception {
        Path bin = dir.resolve("cloud-hypervisor");
        Files.writeString(bin, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }

    @Test
    void socketPathTooLongForAfUnixLeavesNoRuntimeDirBehind() throws Exception {
        Path parent = Files.createDirectories(dir.resolve("x".repeat(100)));
        Path bin = script("exit 0");
        assertThatThrownBy(() ->
                        ChProcess.builder().binary(bin).runtimeDirParent(parent).start())
                .isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> left = Files.list(parent)) {
            assertThat(left).as("runtime dirs left in %s", parent).isEmpty();
        }
    }

    @Test
    void callerRuntimeDirMustBePrivate() throws Exception {
        Path bin = script("exit 0");
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(
                        () -> ChProcess.builder().binary(bin).runtimeDir(open).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runtime directory " + open)
                .hasMessageContaining("rwxr-xr-x")
                .hasMessageContaining("chmod 700");
        assertThatThrownBy(() -> ChProcess.builder()
                        .binary(bin)
                        .runtimeDir(dir.resolve("missing"))
                        .start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void vmmDyingAtStartFailsStartWithTheSerialTailAndLeavesNoDirBehind() throws Exception {
        // Writes a kernel panic to serial.log in its working directory (the runtime dir), then exits 1 as CH does
        // when boot fails.
        Path bin = script("echo 'Kernel panic - not syncing: VFS' > serial.log; echo \"$@\" > ../args.txt; exit 1");
        Path parent = Files.createDirectory(dir.resolve("parent"));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ChProcess.builder()
                        .binary(bin)
                        .runtimeDirParent(parent)
                        .extraArgs("-v")
                        .start())
                .isInstanceOf(ChConnectionException.class)
                .hasMessageStartingWith("ch: cloud-hypervisor exited")
                .hasMessageContaining("exited with status 1")
                .hasMessageContaining("[serial] Kernel panic - not syncing: VFS");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(Files.readString(parent.resolve("args.txt")))
                .doesNotContain("--serial")
                .endsWith("-v\n");
        try (Stream<Path> left = Files.list(parent)) {
            assertThat(left).as("runtime dirs left in %s", parent).containsExactly(parent.resolve("args.txt"));
        }
    }

    @Test
    void startTimeoutFailsAHungVmmAndTheBuilderStaysUsable() throws Exception {
        // Never opens an API socket, like a hung CH: start() times out and stops it.
        Path bin = script("sleep 30");
        ChProcess.Builder builder = ChProcess.builder().binary(bin).startTimeout(Duration.ofMillis(300));
        assertThatThrownBy(builder::start)
                .isInstanceOf(ChTimeoutException.class)
                .hasMessageContaining("timed out after PT0.3S");
        builder.binary(Path.of("/opt/other-vmm"));
        assertThatThrownBy(builder::start)
                .isInstanceOf(ChConnectionException.class)
                .hasMessageContaining("/opt/other-vmm");
    }

    @Test
    void aRelativeBinaryPathWorksAlthoughTheChildRunsInTheRuntimeDir() throws Exception {
        Path bin = script("echo ran > ran.txt; exit 3");
        Path relative = Path.of("").toAbsolutePath().relativize(bin);
        Path runtime = Files.createDirectory(
                dir.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertThatThrownBy(() ->
                        ChProcess.builder().binary(relative).runtimeDir(runtime).start())
                .isInstanceOf(ChConnectionException.class)
                .hasMessageContaining("exited with status 3");
        assertThat(runtime.resolve("ran.txt")).exists();
    }
}
