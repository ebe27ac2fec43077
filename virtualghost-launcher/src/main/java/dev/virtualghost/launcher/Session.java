package dev.virtualghost.launcher;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChEvent;
import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.VsockTunnel;
import dev.virtualghost.vsock.ssh.ExecResult;
import dev.virtualghost.vsock.ssh.GuestSsh;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A running VM started by a {@link Launcher}: its VMM, API client, serial console, events and (when the launch
 * used SSH) a logged-in SSH connection with the guest's host key pinned.
 *
 * <pre>{@code
 * try (Session vm = Launcher.builder().spec(spec).build().start()) {
 *     System.out.println(vm.exec("uname -a", Duration.ofSeconds(10)).stdoutText());
 * }
 * }</pre>
 *
 * <p>{@link #close()} unwinds everything the launch acquired, newest first: the SSH connection, the graceful guest
 * shutdown ({@code vm.power-button}, bounded wait, {@code vm.shutdown}), the VMM's stop escalation, the GPU back to
 * its drivers, the run directory. Thread-safe; close is idempotent and may be called from any thread.
 */
public final class Session implements AutoCloseable {
    private final Flow.Running running;
    private final LaunchContext ctx;
    private final ChProcess ch;

    Session(Flow.Running running) {
        this.running = running;
        this.ctx = running.context();
        this.ch = ctx.require(Keys.CH_PROCESS);
    }

    /**
     * The launch's context with every resource the steps acquired (for custom steps' resources).
     *
     * @return the launch's context (owned by this session)
     */
    public LaunchContext context() {
        return ctx;
    }

    /**
     * The VM's API client.
     *
     * @return the client of the VMM's API socket (owned by this session: do not close it)
     */
    public ChClient client() {
        return ch.client();
    }

    /**
     * The VMM process (pid, logs, serial file).
     *
     * @return the VMM process (owned by this session: do not close it)
     */
    public ChProcess vmm() {
        return ch;
    }

    /**
     * The run's private directory.
     *
     * @return the absolute path of the run directory, owned by this session
     */
    public Path runDirectory() {
        return ctx.require(Keys.RUN_DIR);
    }

    /**
     * The last {@code lines} lines of the guest's serial console.
     *
     * @param lines how many lines at most
     * @return the lines, joined with {@code \n}; empty when the console wrote nothing
     */
    public String serialTail(int lines) {
        return ch.serialTail(lines);
    }

    /**
     * The last {@code lines} lines of the VMM's log, stderr and stdout, labelled.
     *
     * @param lines how many lines per source at most
     * @return the labelled lines
     */
    public String logTail(int lines) {
        return ch.logTail(lines);
    }

    /**
     * The VMM's events so far, oldest first.
     *
     * @return an immutable snapshot of the events seen so far
     */
    public List<ChEvent> events() {
        return ctx.get(Keys.EVENTS).map(VmEvents::list).orElse(List.of());
    }

    /**
     * Waits up to {@code timeout} for the VMM's event {@code source}/{@code event} (e.g. {@code "vm", "booted"});
     * one already seen counts. Events arrive shortly after they happen (CH writes them to a file that is tailed).
     *
     * @param source the event's source, e.g. {@code "vm"}
     * @param event the event's name, e.g. {@code "booted"}
     * @param timeout how long to wait at most
     * @return the event, or empty when it did not come in time
     * @throws InterruptedException if interrupted
     */
    public Optional<ChEvent> awaitEvent(String source, String event, Duration timeout) throws InterruptedException {
        Optional<VmEvents> events = ctx.get(Keys.EVENTS);
        return events.isEmpty() ? Optional.empty() : events.get().await(source, event, timeout);
    }

    /**
     * Waits up to {@code timeout} for the VM to end (the guest powers off or the VMM dies).
     *
     * @param timeout how long to wait at most
     * @return how it ended, or empty when it still runs
     * @throws InterruptedException if interrupted
     */
    public Optional<SessionExit> awaitExit(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout == null");
        if (!ch.handle().onExit().isDone()) {
            try {
                ch.handle().onExit().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                return Optional.empty();
            } catch (java.util.concurrent.ExecutionException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        // The exit status is only known to our Process object; wait for it to reap.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (ch.exitCode().isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        int code = ch.exitCode().orElse(-1);
        boolean poweredOff = code == 0;
        if (poweredOff) {
            // The event reader may lag the exit slightly; a clean exit after power-off writes "vm shutdown".
            ctx.get(Keys.EVENTS).ifPresent(e -> {
                try {
                    e.await("vm", "shutdown", Duration.ofMillis(500));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        return Optional.of(new SessionExit(poweredOff, code));
    }

    /**
     * True while the VMM runs.
     *
     * @return whether the VMM process is alive
     */
    public boolean isRunning() {
        return ch.isAlive();
    }

    /**
     * The SSH connection to the guest.
     *
     * @return the guest's SSH connection (owned by this session: do not close it)
     * @throws IllegalStateException when the launch did not use SSH ({@link LaunchSpec#ssh()})
     */
    public GuestSsh ssh() {
        return ctx.get(Keys.GUEST_SSH)
                .orElseThrow(() -> new IllegalStateException(
                        "this session has no SSH connection: launch with LaunchSpec.ssh(true)"));
    }

    /**
     * Runs {@code command} in the guest and collects its output (see {@link GuestSsh#exec(String, Duration)}).
     *
     * @param command the shell command line to run in the guest
     * @param timeout how long the command may run
     * @return its exit status and output
     */
    public ExecResult exec(String command, Duration timeout) {
        return ssh().exec(command, timeout);
    }

    /**
     * Runs {@code command} in the guest with the given streams; returns its exit status.
     *
     * @param command the shell command line to run in the guest
     * @param stdin the command's standard input (read until its end)
     * @param stdout receives the command's standard output
     * @param stderr receives the command's standard error
     * @param timeout how long the command may run
     * @return the command's exit status
     */
    public int exec(String command, InputStream stdin, OutputStream stdout, OutputStream stderr, Duration timeout) {
        return ssh().exec(command, stdin, stdout, stderr, timeout);
    }

    /**
     * An interactive shell on this process's terminal; returns its exit status.
     *
     * @return the shell's exit status
     */
    public int shell() {
        return ssh().shell();
    }

    /**
     * Copies a local file into the guest with SFTP.
     *
     * @param local the host file to copy
     * @param remotePath the path in the guest it is written to
     * @param timeout how long the copy may take
     */
    public void upload(Path local, String remotePath, Duration timeout) {
        ssh().upload(local, remotePath, timeout);
    }

    /**
     * Copies a guest file to the host with SFTP.
     *
     * @param remotePath the guest file to copy
     * @param local the host path it is written to
     * @param timeout how long the copy may take
     */
    public void download(String remotePath, Path local, Duration timeout) {
        ssh().download(remotePath, local, timeout);
    }

    /**
     * Forwards a loopback TCP port (0: any free one, see {@link VsockTunnel#localPort()}) to the guest's vsock
     * {@code guestPort}; the caller closes the tunnel (before or after the session).
     *
     * @param localPort the loopback TCP port to listen on, or 0 for any free one
     * @param guestPort the guest's vsock port
     * @return the open tunnel, owned by the caller
     */
    public VsockTunnel tunnel(int localPort, int guestPort) {
        return VsockTunnel.builder()
                .dialer(vsockDialer())
                .guestPort(guestPort)
                .tcp(java.net.InetAddress.getLoopbackAddress(), localPort)
                .build();
    }

    /**
     * A dialer for the guest's hybrid vsock socket, e.g. for {@link VsockTunnel}.
     *
     * @return a new dialer of this VM's vsock socket
     */
    public HybridVsockDialer vsockDialer() {
        return HybridVsockDialer.builder()
                .socket(ctx.require(Keys.VSOCK_SOCKET))
                .build();
    }

    /** Asks the next {@link #close()} to skip the graceful guest shutdown (devices are still restored). */
    public void hurry() {
        ctx.hurry();
    }

    /**
     * Unwinds everything the launch acquired, once.
     *
     * @throws dev.virtualghost.api.VirtualGhostException if an undo failed, with each failure suppressed
     */
    @Override
    public void close() {
        ctx.cancel("the session is closing");
        running.close();
    }
}
