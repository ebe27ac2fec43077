package dev.virtualghost.ch;

import dev.virtualghost.ch.internal.process.ApiWait;
import dev.virtualghost.ch.internal.process.ChCommand;
import dev.virtualghost.ch.internal.process.RuntimeDir;
import dev.virtualghost.ch.internal.process.Spawner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A {@link ChProcess.Builder}'s values, copied at start so reusing the builder cannot change a running process,
 * and the start sequence: check the directory, spawn, wait for our child's API, and undo everything on failure.
 */
record ChProcessSettings(
        Path binary,
        Path runtimeDir,
        Path runtimeParent,
        ChEventListener listener,
        List<String> extraArgs,
        Map<String, String> environment,
        Duration callTimeout,
        Duration longCallTimeout,
        Map<String, Duration> endpointTimeouts,
        Duration startTimeout,
        Duration shutdownTimeout,
        Duration termTimeout,
        Duration killTimeout,
        boolean dieWithJvm,
        boolean closeOnJvmExit) {

    static ChProcessSettings of(ChProcessOptions o) {
        return new ChProcessSettings(
                ChCommand.binary(o.binary, ChProcess.BINARY_NAME),
                o.runtimeDir,
                o.runtimeParent,
                o.listener,
                List.copyOf(o.extraArgs),
                Map.copyOf(o.environment),
                o.callTimeout,
                o.longCallTimeout,
                Map.copyOf(o.endpointTimeouts),
                o.startTimeout,
                o.shutdownTimeout,
                o.termTimeout,
                o.killTimeout,
                o.dieWithJvm,
                o.closeOnJvmExit);
    }

    String binaryName() {
        return binary.getFileName().toString();
    }

    ChClient client(Path socket) {
        ChClientBuilder b =
                ChClient.builder().socket(socket).callTimeout(callTimeout).longCallTimeout(longCallTimeout);
        endpointTimeouts.forEach(b::callTimeout);
        return b.build();
    }

    List<String> command(Path socket, Path logFile, Path eventsFile) {
        return ChCommand.arguments(binary, socket, logFile, eventsFile, extraArgs);
    }

    Process spawn(List<String> command, Path dir) throws IOException {
        return Spawner.start(ChCommand.processBuilder(
                Spawner.wrap(command, dieWithJvm),
                dir,
                dir.resolve("ch.stdout.log"),
                dir.resolve("ch.stderr.log"),
                environment));
    }

    /** Creates or checks the runtime directory, spawns the VMM and waits for its API; undoes all on failure. */
    ChProcess start() {
        boolean owned = runtimeDir == null;
        Path dir = runtimeDir;
        if (!owned) {
            RuntimeDir.requirePrivate(dir);
            ApiWait.refuseIfHeld(dir, dir.resolve("api.sock"));
        }
        ChProcess ch = null;
        try {
            if (owned) {
                dir = runtimeParent == null ? RuntimeDir.create() : RuntimeDir.create(runtimeParent);
            }
            ch = new ChProcess(this, dir, owned);
            ch.awaitApi(startTimeout);
            if (closeOnJvmExit) {
                ch.installShutdownHook();
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            } else if (owned && dir != null) {
                // E.g. a socket path too long for AF_UNIX (108 bytes) from ChClient.build(): leave nothing behind.
                try {
                    RuntimeDir.deleteRecursively(dir);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new ChConnectionException(
                    "ch: cannot start " + binary + " in " + dir + ": " + e.getMessage()
                            + "; check permissions and free space",
                    e);
        }
    }
}
