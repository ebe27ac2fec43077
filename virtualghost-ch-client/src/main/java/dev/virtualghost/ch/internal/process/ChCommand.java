package dev.virtualghost.ch.internal.process;

import dev.virtualghost.ch.ChConnectionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code cloud-hypervisor} command line and the {@link ProcessBuilder} that spawns it: API socket,
 * log file and optional event monitor in the runtime directory, stdin from {@code /dev/null},
 * stdout and stderr to files beside them.
 *
 * <p>Thread-safe (stateless). It only prepares; the caller starts the process and owns it.
 */
public final class ChCommand {
    private ChCommand() {}

    /**
     * The binary to run: {@code configured} when it is an executable file, else {@code name} searched on PATH.
     *
     * @param configured the caller's binary, or null to search PATH
     * @throws ChConnectionException if the binary is missing or not executable
     */
    public static Path binary(Path configured, String name) {
        if (configured == null) {
            return BinaryLocator.find(name, System.getenv("PATH"))
                    .orElseThrow(() -> new ChConnectionException(
                            "ch: cannot start " + name + ": not found on PATH; install Cloud Hypervisor or set "
                                    + "ChProcess.builder().binary(path)",
                            null));
        }
        if (!Files.isRegularFile(configured) || !Files.isExecutable(configured)) {
            throw new ChConnectionException(
                    "ch: cannot start " + configured + ": "
                            + (Files.exists(configured) ? "not an executable file" : "no such file")
                            + "; check the cloud-hypervisor path",
                    null);
        }
        // Absolute: the child runs in the runtime directory, where a relative path would name nothing.
        return configured.toAbsolutePath();
    }

    /**
     * Creates {@code events.json} in {@code runtimeDir}, empty, replacing any earlier one.
     *
     * @return its path
     * @throws IOException if it cannot be created
     */
    public static Path createEventsFile(Path runtimeDir) throws IOException {
        Path events = runtimeDir.resolve("events.json");
        // Created empty now so the tail reader never races CH's first open.
        Files.deleteIfExists(events);
        Files.createFile(events);
        return events;
    }

    /**
     * The command line: {@code <binary> --api-socket path=<socket> --log-file <log>
     * [--event-monitor path=<events>] [extra args]}.
     *
     * @param eventsFile the event-monitor file, or null to run without {@code --event-monitor}
     */
    public static List<String> arguments(
            Path binary, Path socket, Path logFile, Path eventsFile, List<String> extraArgs) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--api-socket");
        command.add("path=" + socket);
        command.add("--log-file");
        command.add(logFile.toString());
        // No --serial here: the real CH v54 rejects --serial without --kernel/--firmware (clap usage error, exit 2).
        // A VM created through the API takes its serial from VmConfig.serial, hence ChProcess.serialConfig().
        if (eventsFile != null) {
            command.add("--event-monitor");
            command.add("path=" + eventsFile);
        }
        command.addAll(extraArgs);
        return command;
    }

    /** A process builder running {@code command} in {@code runtimeDir} with {@code environment} added to this JVM's. */
    public static ProcessBuilder processBuilder(
            List<String> command, Path runtimeDir, Path stdoutFile, Path stderrFile, Map<String, String> environment) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(runtimeDir.toFile())
                .redirectOutput(stdoutFile.toFile())
                .redirectError(stderrFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(environment);
        return pb;
    }
}
