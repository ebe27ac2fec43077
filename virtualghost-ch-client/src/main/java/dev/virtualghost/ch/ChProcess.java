package dev.virtualghost.ch;

import dev.virtualghost.ch.internal.process.ChCommand;
import dev.virtualghost.ch.internal.process.EscalatingShutdown;
import dev.virtualghost.ch.internal.process.EventStreamReader;
import dev.virtualghost.ch.internal.process.LogTail;
import dev.virtualghost.ch.internal.process.RuntimeDir;
import dev.virtualghost.ch.internal.process.TailInputStream;
import dev.virtualghost.ch.model.ConsoleMode;
import dev.virtualghost.ch.model.SerialConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code cloud-hypervisor} child process with its API socket in a private runtime directory.
 *
 * <pre>{@code
 * try (ChProcess ch = ChProcess.builder().eventListener(e -> log.info("{}", e)).start()) {
 *   ch.awaitApi(Duration.ofSeconds(10));
 *   ch.client().create(config);
 *   ch.client().boot();
 * }
 * }</pre>
 *
 * <p>Starts {@code <binary> --api-socket path=<dir>/api.sock --log-file <dir>/ch.log
 * [--event-monitor path=<dir>/events.json] [extra args]}; stdout and stderr go to {@code ch.stdout.log} and {@code ch.stderr.log}
 * in the same directory. {@link #close()} escalates {@code vmm.shutdown}, SIGTERM, then SIGKILL, each with a
 * bounded wait, then removes the socket, its lock and (if this object created it) the runtime directory.
 *
 * <p>Thread-safe. The caller closes it; close is idempotent and also closes the {@link #client()}.
 */
public final class ChProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChProcess.class);
  /** The binary name searched on PATH when none is configured. */
  public static final String BINARY_NAME = "cloud-hypervisor";
  private static final Duration POLL = Duration.ofMillis(20);

  private final Settings config;
  private final Path runtimeDir;
  private final boolean ownsRuntimeDir;
  private final Path socket;
  private final Path logFile;
  private final Path stdoutFile;
  private final Path stderrFile;
  private final Path serialFile;
  private final Process process;
  private final TailInputStream eventTail;
  private final EventStreamReader eventReader;
  private final ChClient client;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The builder's values, copied at start so reusing the builder cannot change a running process. */
  private record Settings(String binaryName, ChEventListener listener, List<String> extraArgs,
      Map<String, String> environment, Duration callTimeout, Duration shutdownTimeout, Duration termTimeout,
      Duration killTimeout) {}

  private ChProcess(Settings b, Path binary, Path runtimeDir, boolean ownsRuntimeDir) throws IOException {
    this.config = b;
    this.runtimeDir = runtimeDir;
    this.ownsRuntimeDir = ownsRuntimeDir;
    this.socket = runtimeDir.resolve("api.sock");
    this.logFile = runtimeDir.resolve("ch.log");
    this.stdoutFile = runtimeDir.resolve("ch.stdout.log");
    this.stderrFile = runtimeDir.resolve("ch.stderr.log");
    this.serialFile = runtimeDir.resolve("serial.log");
    Path events = b.listener() == null ? null : ChCommand.createEventsFile(runtimeDir);
    List<String> command = ChCommand.arguments(binary, socket, logFile, events, b.extraArgs());
    ProcessBuilder pb = ChCommand.processBuilder(command, runtimeDir, stdoutFile, stderrFile, b.environment());
    // The client first: nothing may fail between spawning the child and owning it.
    this.client = ChClient.builder().socket(socket).callTimeout(b.callTimeout()).build();
    LOG.debug("starting {}", command);
    try {
      this.process = pb.start();
    } catch (IOException e) {
      client.close();
      throw e;
    }
    if (events != null) {
      eventTail = new TailInputStream(events, POLL);
      eventReader = new EventStreamReader(eventTail, b.listener(), "ch-events " + process.pid());
      eventReader.start();
    } else {
      eventTail = null;
      eventReader = null;
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The API socket path (it exists once {@link #awaitApi} returned). */
  public Path socket() {
    return socket;
  }

  /** The private directory holding the socket, logs and event file. */
  public Path runtimeDir() {
    return runtimeDir;
  }

  /** The file that receives the guest's serial console: {@code serial.log} in the runtime directory. */
  public Path serialFile() {
    return serialFile;
  }

  /**
   * A serial config writing the guest's serial console to {@link #serialFile()}; put it in the VmConfig given to
   * {@code vm.create} ({@code VmConfig.builder().serial(ch.serialConfig())}), because CH's {@code --serial} flag
   * only configures a VM given on its command line.
   */
  public SerialConfig serialConfig() {
    return new SerialConfig(serialFile.toString(), null, ConsoleMode.FILE);
  }

  /** The last {@code lines} lines of the guest's serial console; empty when nothing was written. */
  public String serialTail(int lines) {
    return String.join("\n", LogTail.lastLines(serialFile, lines));
  }

  /** The child process (for its pid, liveness and exit). */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** True while the child runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The child's exit status once it has exited (128 + signal number when a signal killed it). */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** The client for this VMM's API socket; closed by {@link #close()}. */
  public ChClient client() {
    return client;
  }

  /**
   * Waits until the API answers {@code vmm.ping}, failing at once if the child exits first.
   *
   * @return this
   * @throws ChConnectionException if the child exited first (the message has its exit status and log tail)
   * @throws ChTimeoutException if the API did not answer within {@code timeout}
   * @throws IllegalStateException after {@link #close()}
   */
  public ChProcess awaitApi(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout == null");
    if (closed.get()) {
      throw new IllegalStateException("closed");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    ChException last = null;
    while (true) {
      if (!process.isAlive()) {
        throw diedDuringStartup();
      }
      if (Files.exists(socket)) {
        Duration remaining = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        Duration callTimeout = remaining.compareTo(Duration.ofSeconds(1)) < 0 ? remaining : Duration.ofSeconds(1);
        try (ChClient probe = ChClient.builder().socket(socket).callTimeout(callTimeout).build()) {
          probe.ping();
          return this;
        } catch (ChException e) {
          // Not listening yet (socket file bound before listen) or busy: retry until the deadline.
          last = e;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new ChTimeoutException("ch: wait for API on " + socket + " timed out after " + timeout
            + " (pid " + process.pid() + " still running; log tail: " + logTail(10) + serialSection()
            + "); try a longer timeout", last);
      }
      try {
        if (process.waitFor(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS)) {
          throw diedDuringStartup();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChConnectionException("ch: wait for API on " + socket + " interrupted", e);
      }
    }
  }

  private ChConnectionException diedDuringStartup() {
    return new ChConnectionException("ch: " + config.binaryName() + " exited with status " + process.exitValue()
        + " before its API answered on " + socket + "; log tail: " + logTail(20) + serialSection(), null);
  }

  private String serialSection() {
    String serial = serialTail(20);
    return serial.isEmpty() ? "" : "\n[serial] " + serial;
  }

  /**
   * The last {@code lines} lines of CH's log file, stderr and stdout (each non-empty one, labelled), joined
   * with newlines; empty when nothing was written.
   */
  public String logTail(int lines) {
    Map<String, Path> files = new LinkedHashMap<>();
    files.put("log", logFile);
    files.put("stderr", stderrFile);
    files.put("stdout", stdoutFile);
    return LogTail.labelled(files, lines);
  }

  /**
   * Stops the VMM: {@code vmm.shutdown}, then SIGTERM, then SIGKILL, each waited for at most its configured
   * time; then stops event delivery, closes the client and removes socket, lock and an owned runtime dir.
   * Idempotent; never throws for an already-dead VMM.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      client.close();
      cleanFiles();
    }
  }

  private void stop() throws InterruptedException {
    new EscalatingShutdown(config.shutdownTimeout(), config.termTimeout(), config.killTimeout())
        .stop(process, socket);
    if (eventReader != null) {
      eventTail.finish();
      eventReader.join(Duration.ofSeconds(2));
    }
  }

  private void cleanFiles() {
    try {
      if (eventTail != null) {
        eventTail.close();
      }
      Files.deleteIfExists(socket);
      Files.deleteIfExists(Path.of(socket + ".lock"));
      if (ownsRuntimeDir) {
        RuntimeDir.deleteRecursively(runtimeDir);
      }
    } catch (IOException e) {
      LOG.warn("could not remove CH runtime files in {}: {}", runtimeDir, e.toString());
    }
  }

  /**
   * Configures and starts a {@link ChProcess}. Not thread-safe.
   */
  public static final class Builder {
    private Path binary;
    private Path runtimeDir;
    private Path runtimeParent;
    private ChEventListener listener;
    private final List<String> extraArgs = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Duration callTimeout = Duration.ofSeconds(30);
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private Duration termTimeout = Duration.ofSeconds(5);
    private Duration killTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /** The CH binary; default: {@value ChProcess#BINARY_NAME} searched on PATH. */
    public Builder binary(Path binary) {
      this.binary = Objects.requireNonNull(binary, "binary == null");
      return this;
    }

    /**
     * A directory the caller owns for socket, logs, serial and events (kept on close); default: a new private one.
     * It must belong to the current user and be closed to group and others (0700), as the API socket in it
     * gives control of the VM; {@link #start()} checks.
     */
    public Builder runtimeDir(Path dir) {
      this.runtimeDir = Objects.requireNonNull(dir, "dir == null");
      return this;
    }

    /**
     * Where the private runtime directory is created when none is given (e.g. {@code $XDG_RUNTIME_DIR});
     * default: the system temp directory. Keep it short: the API socket path must fit AF_UNIX's 108 bytes.
     */
    public Builder runtimeDirParent(Path parent) {
      this.runtimeParent = Objects.requireNonNull(parent, "parent == null");
      return this;
    }

    /** Starts CH with {@code --event-monitor} and delivers its events here. */
    public Builder eventListener(ChEventListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener == null");
      return this;
    }

    /** More command-line arguments after the ones ChProcess sets (e.g. {@code "-v"}). */
    public Builder extraArgs(String... args) {
      for (String a : args) {
        extraArgs.add(Objects.requireNonNull(a, "arg == null"));
      }
      return this;
    }

    /** An environment variable for the child (added to this JVM's environment). */
    public Builder environment(String name, String value) {
      environment.put(Objects.requireNonNull(name, "name == null"), Objects.requireNonNull(value, "value == null"));
      return this;
    }

    /** Timeout of each call through {@link ChProcess#client()} (default 30 s). */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

    /** How long close() waits for the exit after {@code vmm.shutdown} (default 5 s). */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = positive(timeout, "shutdownTimeout");
      return this;
    }

    /** How long close() waits after SIGTERM before SIGKILL (default 5 s). */
    public Builder termTimeout(Duration timeout) {
      this.termTimeout = positive(timeout, "termTimeout");
      return this;
    }

    /** How long close() waits after SIGKILL (default 5 s). */
    public Builder killTimeout(Duration timeout) {
      this.killTimeout = positive(timeout, "killTimeout");
      return this;
    }

    private String binaryName() {
      return binary == null ? BINARY_NAME : binary.getFileName().toString();
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name + " == null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " <= 0: " + d);
      }
      return d;
    }

    /**
     * Spawns the VMM. Does not wait for its API: call {@link ChProcess#awaitApi(Duration)}.
     *
     * @throws ChConnectionException if the binary is missing or not executable, or the process cannot start
     * @throws IllegalArgumentException if the runtime directory is not private to this user, or the socket path in
     *     it is too long for a Unix socket
     */
    public ChProcess start() {
      Path bin = ChCommand.binary(binary, BINARY_NAME);
      Path dir = runtimeDir;
      boolean owned = dir == null;
      if (!owned) {
        RuntimeDir.requirePrivate(dir);
      }
      Settings settings = new Settings(binaryName(), listener, List.copyOf(extraArgs), Map.copyOf(environment),
          callTimeout, shutdownTimeout, termTimeout, killTimeout);
      try {
        if (owned) {
          dir = runtimeParent == null ? RuntimeDir.create() : RuntimeDir.create(runtimeParent);
        }
        return new ChProcess(settings, bin, dir, owned);
      } catch (IOException | RuntimeException e) {
        // Any failure, e.g. a socket path too long for AF_UNIX (108 bytes) from ChClient.build(), must not
        // leave the directory this call created behind.
        if (owned && dir != null) {
          try {
            RuntimeDir.deleteRecursively(dir);
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new ChConnectionException("ch: cannot start " + bin + " in " + dir + ": " + e.getMessage()
            + "; check permissions and free space", e);
      }
    }
  }
}
