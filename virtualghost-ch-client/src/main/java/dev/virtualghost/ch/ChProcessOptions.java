package dev.virtualghost.ch;

import dev.virtualghost.ch.internal.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of {@link ChProcess.Builder}, kept apart from {@link ChProcess} so that each file has one job.
 * Not thread-safe.
 */
abstract class ChProcessOptions {
    Path binary;
    Path runtimeDir;
    Path runtimeParent;
    ChEventListener listener = ChEventListener.NONE;
    final List<String> extraArgs = new ArrayList<>();
    final Map<String, String> environment = new LinkedHashMap<>();
    Duration callTimeout = ChClientBuilder.DEFAULT_CALL_TIMEOUT;
    Duration longCallTimeout = ChClientBuilder.DEFAULT_LONG_CALL_TIMEOUT;
    final Map<String, Duration> endpointTimeouts = new LinkedHashMap<>();
    Duration startTimeout = Duration.ofSeconds(30);
    Duration shutdownTimeout = Duration.ofSeconds(5);
    Duration termTimeout = Duration.ofSeconds(5);
    Duration killTimeout = Duration.ofSeconds(5);
    boolean dieWithJvm = true;
    boolean closeOnJvmExit;

    ChProcessOptions() {}

    private ChProcess.Builder self() {
        return (ChProcess.Builder) this;
    }

    /**
     * Sets the CH binary; default: {@value ChProcess#BINARY_NAME} searched on PATH when the process starts.
     *
     * @param binary the {@code cloud-hypervisor} executable; checked by {@link ChProcess.Builder#start()}
     * @return this builder
     * @throws NullPointerException if {@code binary} is null
     */
    public ChProcess.Builder binary(Path binary) {
        this.binary = Objects.requireNonNull(binary, "binary == null");
        return self();
    }

    /**
     * A directory the caller owns for socket, logs, serial and events (kept on close); default: a new private one.
     * It must belong to the current user and be closed to group and others (0700), as the API socket in it
     * gives control of the VM; {@link ChProcess.Builder#start()} checks, and refuses a directory that a running
     * VMM still holds.
     *
     * @param dir an existing 0700 directory of the current user
     * @return this builder
     * @throws NullPointerException if {@code dir} is null
     */
    public ChProcess.Builder runtimeDir(Path dir) {
        this.runtimeDir = Objects.requireNonNull(dir, "dir == null");
        return self();
    }

    /**
     * Where the private runtime directory is created when none is given (e.g. {@code $XDG_RUNTIME_DIR});
     * default: the system temp directory. Keep it short: the API socket path must fit AF_UNIX's 108 bytes. Ignored
     * when {@link #runtimeDir(Path)} is set.
     *
     * @param parent an existing directory in which a new 0700 directory with an unpredictable name is created
     * @return this builder
     * @throws NullPointerException if {@code parent} is null
     */
    public ChProcess.Builder runtimeDirParent(Path parent) {
        this.runtimeParent = Objects.requireNonNull(parent, "parent == null");
        return self();
    }

    /**
     * Delivers CH's events ({@code --event-monitor}, always on) to this listener too; default
     * {@link ChEventListener#NONE}. The events stay available through {@link ChProcess#events()} either way.
     *
     * @param listener called on the process's event thread, in CH's order
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public ChProcess.Builder eventListener(ChEventListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener == null");
        return self();
    }

    /**
     * Adds command-line arguments after the ones ChProcess sets (e.g. {@code "-v"}); repeated calls append.
     *
     * @param args the arguments, each passed as one argv entry without shell parsing
     * @return this builder
     * @throws NullPointerException if {@code args} or any of its elements is null
     */
    public ChProcess.Builder extraArgs(String... args) {
        for (String a : args) {
            extraArgs.add(Objects.requireNonNull(a, "arg == null"));
        }
        return self();
    }

    /**
     * Sets an environment variable for the child, on top of this JVM's environment; a later call with the same
     * name replaces the value.
     *
     * @param name  the variable's name, e.g. {@code "RUST_BACKTRACE"}
     * @param value its value
     * @return this builder
     * @throws NullPointerException if {@code name} or {@code value} is null
     */
    public ChProcess.Builder environment(String name, String value) {
        environment.put(Objects.requireNonNull(name, "name == null"), Objects.requireNonNull(value, "value == null"));
        return self();
    }

    /**
     * Sets the deadline of quick calls through {@link ChProcess#client()}; default as
     * {@link ChClientBuilder#callTimeout} (10 s).
     *
     * @param timeout the deadline, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public ChProcess.Builder callTimeout(Duration timeout) {
        this.callTimeout = Durations.requirePositive(timeout, "callTimeout");
        return self();
    }

    /**
     * Sets the deadline of the long calls through {@link ChProcess#client()}; see
     * {@link ChClientBuilder#longCallTimeout} (default 2 min).
     *
     * @param timeout the deadline, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public ChProcess.Builder longCallTimeout(Duration timeout) {
        this.longCallTimeout = Durations.requirePositive(timeout, "longCallTimeout");
        return self();
    }

    /**
     * Deadline of one endpoint of {@link ChProcess#client()}, e.g. {@code callTimeout("vm.boot",
     * Duration.ofMinutes(5))}; see {@link ChClientBuilder#callTimeout(String, Duration)}.
     *
     * @param endpoint the endpoint name as the spec writes it, e.g. {@code "vm.boot"}
     * @param timeout  the deadline of calls to that endpoint, positive
     * @return this builder
     * @throws NullPointerException if {@code endpoint} or {@code timeout} is null
     * @throws IllegalArgumentException if {@code endpoint} is not one of CH's endpoint names, or {@code timeout} is
     *     zero or negative
     */
    public ChProcess.Builder callTimeout(String endpoint, Duration timeout) {
        endpointTimeouts.put(ChCalls.requireEndpoint(endpoint), Durations.requirePositive(timeout, "timeout"));
        return self();
    }

    /**
     * Sets how long {@link ChProcess.Builder#start()} waits for the API to answer (default 30 s).
     *
     * @param timeout the deadline, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public ChProcess.Builder startTimeout(Duration timeout) {
        this.startTimeout = Durations.requirePositive(timeout, "startTimeout");
        return self();
    }

    /**
     * Sets how long {@link ChProcess#close()} waits for the exit after {@code vmm.shutdown} (default 5 s).
     *
     * @param timeout the wait, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public ChProcess.Builder shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = Durations.requirePositive(timeout, "shutdownTimeout");
        return self();
    }

    /**
     * Sets how long {@link ChProcess#close()} waits after SIGTERM before SIGKILL (default 5 s).
     *
     * @param timeout the wait, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public ChProcess.Builder termTimeout(Duration timeout) {
        this.termTimeout = Durations.requirePositive(timeout, "termTimeout");
        return self();
    }

    /**
     * Sets how long {@link ChProcess#close()} waits for the exit after SIGKILL (default 5 s); a VMM still alive then
     * is logged and its runtime files are left in place.
     *
     * @param timeout the wait, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public ChProcess.Builder killTimeout(Duration timeout) {
        this.killTimeout = Durations.requirePositive(timeout, "killTimeout");
        return self();
    }

    /**
     * Whether the kernel kills the VMM when this JVM dies ({@code setpriv --pdeathsig KILL}, when {@code setpriv} is
     * on the PATH); default true. Turn it off only for a VMM that must outlive its starter.
     *
     * @param dieWithJvm true to tie the VMM's life to this JVM
     * @return this builder
     */
    public ChProcess.Builder dieWithJvm(boolean dieWithJvm) {
        this.dieWithJvm = dieWithJvm;
        return self();
    }

    /**
     * Whether a JVM shutdown hook closes the VMM on an orderly exit ({@code System.exit}, end of {@code main})
     * that skipped {@link ChProcess#close()}; default false. {@link ChProcess#close()} removes the hook.
     *
     * @param closeOnJvmExit true to install the hook when the process starts
     * @return this builder
     */
    public ChProcess.Builder closeOnJvmExit(boolean closeOnJvmExit) {
        this.closeOnJvmExit = closeOnJvmExit;
        return self();
    }
}
