package dev.virtualghost.launcher.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The leak check after a run: no VMM process of the run left, no file left in the runtime root's run dirs. */
public final class Leaks {
    private Leaks() {}

    /**
     * Asserts that {@code runtimeRoot} holds no run directory and no vfio journal (the vfio claims' lock files,
     * which are meant to stay, aside).
     */
    public static void assertNothingLeftIn(Path runtimeRoot) throws IOException {
        assertThat(filesUnder(runtimeRoot.resolve("runs")))
                .as("files left in the runs directory")
                .isEmpty();
        assertThat(filesUnder(runtimeRoot.resolve("vfio")).stream()
                        .filter(p -> Files.isRegularFile(p)
                                && !p.getParent().getFileName().toString().equals("claims")))
                .as("vfio journals left")
                .isEmpty();
    }

    /** Asserts that no process runs {@code binary} with a socket under {@code runtimeRoot}. */
    public static void assertNoVmmUnder(Path runtimeRoot) {
        List<String> vmms = ProcessHandle.allProcesses()
                .filter(p -> !dev.virtualghost.launcher.internal.ProcStat.isZombie(p.pid()))
                .map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(runtimeRoot.toString()) && c.contains("--api-socket"))
                .toList();
        assertThat(vmms).as("VMM processes of this runtime root still running").isEmpty();
    }

    /** Every file and directory below {@code dir} (not {@code dir} itself); empty when it does not exist. */
    public static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).toList();
        }
    }
}
