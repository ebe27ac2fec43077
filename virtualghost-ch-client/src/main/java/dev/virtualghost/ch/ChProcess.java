package dev.virtualghost.ch;

import dev.virtualghost.ch.internal.process.ApiWait;
import dev.virtualghost.ch.internal.process.ChCommand;
import dev.virtualghost.ch.internal.process.EscalatingShutdown;
import dev.virtualghost.ch.internal.process.EventLog;
import dev.virtualghost.ch.internal.process.EventStreamReader;
import dev.virtualghost.ch.internal.process.LogTail;
import dev.virtualghost.ch.internal.process.ProcStat;
import dev.virtualghost.ch.internal.process.RuntimeDir;
import dev.virtualghost.ch.internal.process.TailInputStream;
import dev.virtualghost.ch.model.ConsoleMode;
import dev.virtualghost.ch.model.SerialConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code cloud-hypervisor} child process with its API socket in a private runtime directory.
 *
 * <pre>{@code
 * try (ChProcess ch = ChProcess.builder().binary(Path.of("/usr/bin/cloud-hypervisor")).start()) {
 *     ch.client().create(config);
 *     ch.client().boot();
 *     ch.awaitEvent("vm", "shutdown", Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * <p>Starts {@code <binary> --api-socket path=<dir>/api.sock --log-file <dir>/ch.log
 * --event-monitor path=<dir>/events.json [extra args]}; stdout and stderr go to {@code ch.stdout.log} and
 * {@code ch.stderr.log} in the same directory, and {@code vmm.record} ({@link VmmProcessRecord}) names the child.
 *
 * <p>Design choices:
 * <ul>
 *   <li><b>Ours or nothing.</b> {@link Builder#start()} returns only once {@code vmm.ping} answers with the pid of
 *       the child it spawned. A runtime directory that a live VMM still holds (its {@code vmm.record} names a
 *       running process, or something answers on its socket) is refused with one line naming that pid, before
 *       anything is spawned. A stale socket and lock left by a killed CH are fine: CH v54 replaces the socket and
 *       takes the lock again (measured). {@link #close()} removes the socket and its lock only when our child
 *       answered on them, or when they did not exist before we spawned it, so a file another VMM uses is never
 *       deleted.</li>
 *   <li><b>Dies with its owner.</b> The child is spawned from one long-lived daemon thread through
 *       {@code setpriv --pdeathsig KILL --} when util-linux's {@code setpriv} is on the PATH, so the kernel kills
 *       it when this JVM dies in any way, {@code kill -9} included (the parent-death signal is tied to the
 *       forking <em>thread</em>, hence the thread that never ends). Without {@code setpriv}, or with
 *       {@link Builder#dieWithJvm(boolean) dieWithJvm(false)}, the {@code vmm.record} lets recovery find and stop
 *       it. {@link Builder#closeOnJvmExit(boolean)} adds a shutdown hook for orderly exits
 *       ({@code System.exit} without {@code close()}), so CH gets {@code vmm.shutdown} instead of SIGKILL.</li>
 *   <li><b>Bounded stop.</b> {@link #close()} escalates {@code vmm.shutdown}, SIGTERM, then SIGKILL, each with a
 *       bounded wait, then removes what it created.</li>
 * </ul>
 *
 * <p>Thread-safe. The caller closes it; close is idempotent and also closes the {@link #client()}.
 */
public final class ChProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChProcess.class);
    /** The binary name searched on PATH when none is configured. */
    public static final String BINARY_NAME = "cloud-hypervisor";

    private static final Duration POLL = Duration.ofMillis(20);

    private final ChProcessSettings config;
    private final Path runtimeDir;
    private final boolean ownsRuntimeDir;
    private final Path socket;
    private final Path lock;
    private final Path logFile;
    private final Path serialFile;
    private final boolean socketExisted;
    private final boolean lockExisted;
    private final Process process;
    private final VmmProcessRecord record;
    private final TailInputStream eventTail;
    private final EventLog events;
    private final EventStreamReader eventReader;
    private final ChClient client;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean apiConfirmed;
    private volatile Thread shutdownHook;

    ChProcess(ChProcessSettings s, Path runtimeDir, boolean ownsRuntimeDir) throws IOException {
        this.config = s;
        this.runtimeDir = runtimeDir;
        this.ownsRuntimeDir = ownsRuntimeDir;
        this.socket = runtimeDir.resolve("api.sock");
        this.lock = Path.of(socket + ".lock");
        this.logFile = runtimeDir.resolve("ch.log");
        this.serialFile = runtimeDir.resolve("serial.log");
        this.socketExisted = Files.exists(socket);
        this.lockExisted = Files.exists(lock);
        Path eventsFile = ChCommand.createEventsFile(runtimeDir);
        List<String> command = s.command(socket, logFile, eventsFile);
        // The client first: nothing may fail between spawning the child and owning it.
        this.client = s.client(socket);
        this.events = new EventLog(s.listener());
        try {
            this.process = s.spawn(command, runtimeDir);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        this.eventTail = new TailInputStream(eventsFile, POLL);
        this.eventReader = new EventStreamReader(eventTail, events, "ch-events " + process.pid(), events::end);
        eventReader.start();
        // Once the child is gone and the tail drained, awaitEvent stops waiting for events that cannot come.
        process.onExit().thenRun(eventTail::finish);
        // Start time -1 when /proc has none (the child died at once): such a record never counts as running.
        VmmProcessRecord r = new VmmProcessRecord(
                process.pid(), ProcStat.startTicks(process.pid()).orElse(-1), command, socket);
        try {
            r.writeTo(runtimeDir.resolve(VmmProcessRecord.FILE_NAME));
        } catch (UncheckedIOException e) {
            LOG.warn("could not write vmm.record for cloud-hypervisor {}: {}", process.pid(), e.getMessage());
        }
        this.record = r;
    }

    /**
     * Returns a new builder with the defaults described on {@link ChProcessOptions}.
     *
     * @return a builder; {@link Builder#start()} spawns the process
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the API socket path.
     *
     * @return {@code api.sock} in the {@link #runtimeDir() runtime directory}
     */
    public Path socket() {
        return socket;
    }

    /**
     * Returns the private (0700) directory holding the socket, logs and event file.
     *
     * @return the runtime directory; removed by {@link #close()} only when this object created it
     */
    public Path runtimeDir() {
        return runtimeDir;
    }

    /**
     * Returns the file that receives the guest's serial console once {@link #serialConfig()} is in the VM config.
     *
     * @return {@code serial.log} in the runtime directory; it may not exist yet
     */
    public Path serialFile() {
        return serialFile;
    }

    /**
     * A serial config writing the guest's serial console to {@link #serialFile()}; put it in the VmConfig given to
     * {@code vm.create} ({@code VmConfig.builder().serial(ch.serialConfig())}), because CH's {@code --serial} flag
     * only configures a VM given on its command line.
     *
     * @return a new {@code File}-mode serial config pointing at {@link #serialFile()}
     */
    public SerialConfig serialConfig() {
        return new SerialConfig(serialFile.toString(), null, ConsoleMode.FILE);
    }

    /**
     * Returns the end of the guest's serial console, e.g. to show why a guest did not come up.
     *
     * @param lines how many lines to return at most; zero or less returns an empty string
     * @return the last {@code lines} lines of {@link #serialFile()} joined with newlines; empty when nothing was
     *     written (reads at most the file's last 64 KiB)
     */
    public String serialTail(int lines) {
        return String.join("\n", LogTail.lastLines(serialFile, lines));
    }

    /**
     * Returns a handle on the child process, for its liveness and exit.
     *
     * @return the child's handle; use {@link #close()}, not the handle, to stop it
     */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Returns the child's process id.
     *
     * @return the VMM's own pid ({@code setpriv}, when used, execs it, so there is no wrapper process)
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Returns the record naming the child for recovery, as written to {@code vmm.record} in the runtime directory.
     *
     * @return the record (also returned when writing the file failed, which is logged)
     */
    public VmmProcessRecord record() {
        return record;
    }

    /**
     * Tells whether the child still runs.
     *
     * @return true while the child process has not exited
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Returns the child's exit status once it has exited; does not wait.
     *
     * @return the exit status (128 + signal number when a signal killed it), or empty while the child runs
     */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Waits up to {@code timeout} for the child to exit (e.g. after the guest powered off). If the calling thread
     * is interrupted, returns at once with its interrupt status set.
     *
     * @param timeout how long to wait at most; zero or negative only checks
     * @return its exit status, or empty if it still runs at the deadline
     * @throws NullPointerException if {@code timeout} is null
     */
    public OptionalInt awaitExit(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout == null");
        try {
            process.waitFor(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitCode();
    }

    /**
     * Waits up to {@code timeout} for an event from {@code source} named {@code event} (e.g. {@code "vm",
     * "booted"}), also finding one that came before this call. If the calling thread is interrupted, returns empty
     * at once with its interrupt status set.
     *
     * @param source  the event's source, e.g. {@code "vm"}
     * @param event   the event's name, e.g. {@code "booted"} or {@code "shutdown"}
     * @param timeout how long to wait at most
     * @return the first such event, or empty at the deadline or once the VMM exited without writing it
     * @throws NullPointerException if any argument is null
     */
    public Optional<ChEvent> awaitEvent(String source, String event, Duration timeout) {
        Objects.requireNonNull(source, "source == null");
        Objects.requireNonNull(event, "event == null");
        Objects.requireNonNull(timeout, "timeout == null");
        try {
            return events.await(source, event, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Returns the events the VMM wrote so far.
     *
     * @return a snapshot of the last 10,000 events, oldest first
     */
    public List<ChEvent> events() {
        return events.events();
    }

    /**
     * Returns the client for this VMM's API socket, with the timeouts set on the builder.
     *
     * @return the one client of this process; owned and closed by {@link #close()}, so callers must not close it
     */
    public ChClient client() {
        return client;
    }

    /**
     * Waits until the API answers {@code vmm.ping} with this child's pid. {@link Builder#start()} already did;
     * kept for callers written before it did.
     *
     * @param timeout how long to wait at most for the API to answer
     * @return this
     * @throws ChConnectionException if the child exited first (the message has its exit status and log tail), or
     *     another VMM answers on the socket
     * @throws ChTimeoutException if the API did not answer within {@code timeout}
     * @throws IllegalStateException after {@link #close()}
     */
    public ChProcess awaitApi(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout == null");
        if (closed.get()) {
            throw new IllegalStateException("closed");
        }
        ApiWait.await(process, config.binaryName(), socket, timeout, () -> logTail(20) + serialSection());
        apiConfirmed = true;
        return this;
    }

    private String serialSection() {
        String serial = serialTail(20);
        return serial.isEmpty() ? "" : "\n[serial] " + serial;
    }

    /**
     * The last {@code lines} lines of CH's log file, stderr and stdout (each non-empty one, labelled), joined
     * with newlines; empty when nothing was written.
     *
     * @param lines how many lines to take from each file at most; zero or less returns an empty string
     * @return the labelled tails, e.g. {@code [stderr] Error booting VM...}, for error messages
     */
    public String logTail(int lines) {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("log", logFile);
        files.put("stderr", runtimeDir.resolve("ch.stderr.log"));
        files.put("stdout", runtimeDir.resolve("ch.stdout.log"));
        return LogTail.labelled(files, lines);
    }

    void installShutdownHook() {
        Thread hook = new Thread(this::close, "ch-close-on-exit " + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        shutdownHook = hook;
    }

    /**
     * Stops the VMM: {@code vmm.shutdown}, then SIGTERM, then SIGKILL, each waited for at most its configured
     * time; then stops event delivery, closes the client and removes what this object created (socket and lock
     * only if they are our child's, the record, an owned runtime dir). Idempotent; never throws for an
     * already-dead VMM.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        removeShutdownHook();
        try {
            new EscalatingShutdown(config.shutdownTimeout(), config.termTimeout(), config.killTimeout())
                    .stop(process, apiConfirmed ? socket : null);
            eventTail.finish();
            eventReader.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            client.close();
            cleanFiles();
        }
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook runs close(), which is idempotent.
            }
        }
    }

    private void cleanFiles() {
        try {
            eventTail.close();
            if (process.isAlive()) {
                LOG.warn("cloud-hypervisor {} survived SIGKILL; leaving {} in place", process.pid(), runtimeDir);
                return;
            }
            // Only what is ours: an orphan's socket and lock must survive a failed start beside it.
            if (apiConfirmed || !socketExisted) {
                Files.deleteIfExists(socket);
            }
            if (apiConfirmed || !lockExisted) {
                Files.deleteIfExists(lock);
            }
            Files.deleteIfExists(runtimeDir.resolve(VmmProcessRecord.FILE_NAME));
            if (ownsRuntimeDir) {
                RuntimeDir.deleteRecursively(runtimeDir);
            }
        } catch (IOException e) {
            LOG.warn("could not remove CH runtime files in {}: {}", runtimeDir, e.toString());
        }
    }

    /** Configures and starts a {@link ChProcess}. Not thread-safe. */
    public static final class Builder extends ChProcessOptions {
        private Builder() {}

        /**
         * Spawns the VMM and waits until its API answers {@code vmm.ping} with the child's pid (at most
         * {@link #startTimeout(Duration)}).
         *
         * @throws ChConnectionException if the binary is missing or not executable, the process cannot start or
         *     exits before its API answers (with the log and serial tails), or the runtime directory is held by
         *     another VMM (naming its pid); nothing is left running and nothing this call did not create is removed
         * @throws ChTimeoutException if the API did not answer in time (the child is stopped)
         * @throws IllegalArgumentException if the runtime directory is not private to this user, or the socket path
         *     in it is too long for a Unix socket
         * @return the running process, which the caller owns and must {@link ChProcess#close() close}
         */
        public ChProcess start() {
            return ChProcessSettings.of(this).start();
        }
    }
}
