package dev.virtualghost.launcher.cli;

import dev.virtualghost.api.VirtualGhostException;
import dev.virtualghost.launcher.FlowException;
import dev.virtualghost.launcher.LaunchContext;
import dev.virtualghost.launcher.LaunchSpec;
import dev.virtualghost.launcher.Launcher;
import dev.virtualghost.launcher.Session;
import dev.virtualghost.launcher.SessionExit;
import dev.virtualghost.launcher.assets.AssetException;
import dev.virtualghost.launcher.steps.PreflightStep;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code virtualghost run}: binds the GPU, starts the VMM, creates and boots the VM, then waits for the guest's
 * kiosk to power off ({@code --gpu}, or {@code --wait}), runs a command over SSH ({@code run -- cmd args}) or opens
 * a shell; Ctrl-C or SIGTERM unwinds, a second Ctrl-C skips the graceful guest shutdown.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Boot a VM (with a GPU: the kiosk) and wait for it, run a command in it, or open a shell.",
            "Exit codes: 0 success (or the command's own code), 1 launch failed or VM died, 2 usage or config "
                    + "error, 3 the host cannot run it, 130/143 ended by SIGINT/SIGTERM."
        })
final class RunCommand implements Callable<Integer> {

    @CommandLine.Mixin
    LaunchOptions options;

    @Option(
            names = "--wait",
            description =
                    "Boot and wait for the guest to power off, without SSH (the kiosk " + "mode, also without a GPU).")
    boolean waitOnly;

    @Option(
            names = "--console",
            description = "With --wait: copy the guest's serial console to standard output while waiting"
                    + " (control characters shown as ?).")
    boolean console;

    @Option(
            names = "--dry-run",
            description =
                    "Resolve and validate everything, touch nothing, print the plan " + "and the exact vm.create JSON.")
    boolean dryRun;

    @Option(
            names = {"-v", "--verbose"},
            description = "Show each step; add stack traces to errors.")
    boolean verbose;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only errors.")
    boolean quiet;

    @Parameters(
            arity = "0..*",
            paramLabel = "COMMAND",
            description = "A command to run in the guest over SSH " + "(after --); its exit code becomes run's.")
    List<String> command;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Mode mode;
        LaunchSpec launch;
        GuestChoice guest;
        try {
            mode = mode();
            ConfigLayers layers = options.layers();
            // Every other setting is checked first: a bad --vcpus must not wait for a guest download.
            layers.toSpec(mode.ssh, GuestChoice.UNRESOLVED);
            guest = GuestChoice.resolve(layers, System.getenv(), WriterStream.of(err), System.console() != null);
            launch = layers.toSpec(mode.ssh, guest);
        } catch (AssetException e) {
            err.println("virtualghost: " + VirtualGhostCommand.oneLine(e.getMessage()));
            return ExitCodes.FAILED;
        } catch (IllegalArgumentException | CliUsageException e) {
            err.println("virtualghost: " + VirtualGhostCommand.oneLine(e.getMessage()));
            return ExitCodes.USAGE;
        } catch (VirtualGhostException e) {
            err.println("virtualghost: " + VirtualGhostCommand.oneLine(e.getMessage()));
            return ExitCodes.HOST;
        }
        if (dryRun) {
            return new DryRun(launch, mode.name().toLowerCase(java.util.Locale.ROOT), guest.origins(), out, err)
                    .print();
        }
        return launch(launch, mode, out, err);
    }

    private Mode mode() {
        boolean hasCommand = command != null && !command.isEmpty();
        if (hasCommand && waitOnly) {
            throw new CliUsageException("--wait and a COMMAND exclude each other: --wait runs no command");
        }
        if (hasCommand) {
            if (console) {
                throw new CliUsageException(
                        "--console goes with --wait (or --gpu): a COMMAND's own output is shown" + " already");
            }
            return Mode.COMMAND;
        }
        if (waitOnly || options.gpu != null) {
            return Mode.WAIT;
        }
        if (console) {
            throw new CliUsageException("--console goes with --wait (or --gpu): add --wait to boot and watch the"
                    + " guest's console until it powers off");
        }
        if (System.console() == null) {
            throw new CliUsageException("no terminal for a shell: give a COMMAND after --, or --wait to boot and "
                    + "wait for the guest to power off");
        }
        return Mode.SHELL;
    }

    private int launch(LaunchSpec launch, Mode mode, PrintWriter out, PrintWriter err) throws InterruptedException {
        AtomicReference<LaunchContext> ctx = new AtomicReference<>();
        AtomicReference<Session> running = new AtomicReference<>();
        Object ended = new Object();
        Launcher launcher = Launcher.builder()
                .spec(launch)
                .shutdownHook(true)
                .listener(new ProgressListener(err, verbose, quiet))
                .build();
        try (SignalTrap trap = new SignalTrap(
                () -> {
                    LaunchContext c = ctx.get();
                    if (c != null) {
                        c.cancel("interrupted by a signal");
                    }
                    Session s = running.get();
                    if (s != null && mode.ssh) {
                        // Ends the remote command or shell: the main thread then unwinds.
                        s.ssh().close();
                    }
                    synchronized (ended) {
                        ended.notifyAll();
                    }
                },
                () -> {
                    LaunchContext c = ctx.get();
                    if (c != null) {
                        c.hurry();
                    }
                })) {
            Session session;
            try {
                session = launcher.start(ctx::set);
            } catch (FlowException e) {
                if (trap.firstSignal() != null) {
                    err.println("virtualghost: stopped by SIG" + trap.firstSignal() + " during " + e.step()
                            + "; everything was released");
                    return signalCode(trap);
                }
                err.println("virtualghost: " + VirtualGhostCommand.oneLine(e.getMessage()));
                if (verbose) {
                    e.printStackTrace(err);
                }
                return PreflightStep.NAME.equals(e.step()) ? ExitCodes.HOST : ExitCodes.FAILED;
            }
            running.set(session);
            try (session) {
                if (!quiet) {
                    err.println("virtualghost: VM running (vmm pid "
                            + session.vmm().handle().pid() + ", run "
                            + session.runDirectory().getFileName() + ")");
                }
                try {
                    int code = switch (mode) {
                        case COMMAND ->
                            session.exec(
                                    String.join(" ", command), System.in, System.out, System.err, Duration.ofDays(365));
                        case SHELL -> session.shell();
                        case WAIT -> waitForEnd(session, trap, ended, out, err);
                    };
                    return trap.firstSignal() != null && mode.ssh ? signalCode(trap) : code;
                } catch (VirtualGhostException e) {
                    if (trap.firstSignal() != null) {
                        return signalCode(trap);
                    }
                    throw e;
                }
            }
        }
    }

    private int waitForEnd(Session session, SignalTrap trap, Object ended, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        ConsoleEcho echo = console ? new ConsoleEcho(session.vmm().serialFile(), out) : null;
        while (true) {
            Optional<SessionExit> exit = session.awaitExit(Duration.ofMillis(50));
            if (echo != null) {
                if (exit.isPresent()) {
                    echo.drain();
                } else {
                    echo.pump();
                }
            }
            if (exit.isPresent()) {
                SessionExit e = exit.get();
                if (e.poweredOff()) {
                    if (!quiet) {
                        err.println("virtualghost: " + e.describe());
                    }
                    return ExitCodes.OK;
                }
                err.println("virtualghost: " + e.describe() + "; VMM log tail:");
                err.println(indent(session.logTail(20)));
                String serial = session.serialTail(10);
                if (!serial.isEmpty()) {
                    err.println("serial tail:");
                    err.println(indent(serial));
                }
                return ExitCodes.FAILED;
            }
            if (trap.firstSignal() != null) {
                if (!quiet) {
                    err.println("virtualghost: SIG" + trap.firstSignal() + ": shutting the VM down");
                }
                return signalCode(trap);
            }
        }
    }

    private static int signalCode(SignalTrap trap) {
        return "TERM".equals(trap.firstSignal()) ? ExitCodes.SIGTERM : ExitCodes.SIGINT;
    }

    private static String indent(String text) {
        return text.isEmpty() ? "  (empty)" : "  " + text.replace("\n", "\n  ");
    }

    /** What {@code run} does once the VM is up. */
    enum Mode {
        /** Wait for the guest to power off (the kiosk). */
        WAIT(false),
        /** Run one command over SSH. */
        COMMAND(true),
        /** An interactive shell over SSH. */
        SHELL(true);

        final boolean ssh;

        Mode(boolean ssh) {
            this.ssh = ssh;
        }
    }
}
