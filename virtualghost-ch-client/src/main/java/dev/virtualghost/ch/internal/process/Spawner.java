package dev.virtualghost.ch.internal.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Spawns VMM processes from ONE long-lived daemon thread, wrapped in {@code setpriv --pdeathsig KILL --} when
 * {@code setpriv} (util-linux) is on the PATH, so that the child gets SIGKILL when its parent goes away.
 *
 * <p>Why a dedicated thread: Linux sends the parent-death signal when the <em>thread</em> that forked the child
 * exits, not the process. A child spawned from a short-lived caller thread (an executor's worker, a test
 * thread) would be killed when that thread ends. This thread never ends while the JVM lives, so the signal
 * fires exactly when the JVM dies, however it dies ({@code kill -9}, a crash, {@code System.exit}).
 * {@code setpriv} sets the signal and then execs the VMM, so the process we hold is the VMM itself (same pid).
 * Thread-safe.
 */
public final class Spawner {

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "virtualghost-vmm-spawner");
        t.setDaemon(true);
        return t;
    });

    private Spawner() {}

    /** {@code setpriv} on the PATH, if any. */
    public static Optional<Path> setpriv() {
        return BinaryLocator.find("setpriv", System.getenv("PATH"));
    }

    /**
     * The command with the parent-death wrapper in front when {@code dieWithParent} and {@code setpriv} exists;
     * else the command unchanged.
     */
    public static List<String> wrap(List<String> command, boolean dieWithParent) {
        Optional<Path> setpriv = dieWithParent ? setpriv() : Optional.empty();
        if (setpriv.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(setpriv.get().toString(), "--pdeathsig", "KILL", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Starts {@code pb} on the spawner thread and returns the process.
     *
     * @throws IOException when the process cannot start
     */
    public static Process start(ProcessBuilder pb) throws IOException {
        Future<Process> f = THREAD.submit(pb::start);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    // Keep waiting: giving up here would leave a started child nobody owns.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
