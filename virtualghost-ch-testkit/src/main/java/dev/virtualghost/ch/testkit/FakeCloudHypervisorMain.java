package dev.virtualghost.ch.testkit;

import dev.virtualghost.ch.testkit.internal.SpecValidation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A {@code cloud-hypervisor} stand-in process: takes the real binary's flags, serves
 * {@link FakeCloudHypervisor} on the API socket and exits like CH (0 on SIGTERM/SIGINT and after
 * {@code vmm.shutdown}, 1 when start-up fails, 2 for a command-line error as clap does).
 *
 * <p>Accepted flags: {@code --api-socket path=<file>|<file>}, {@code --event-monitor path=<file>|fd=<n>},
 * {@code --log-file <file>}, {@code --serial} and {@code --console} ({@code off|null|pty|tty|file=<path>|
 * socket=<path>}; like CH's they only configure a VM given on the command line, which this stand-in does not
 * take), {@code -v} (repeatable), {@code --seccomp <value>}, {@code --no-shutdown}, {@code -V/--version},
 * {@code -h/--help}. Any other flag is rejected with clap's message (exit 2). As in CH v54, {@code --serial} and
 * {@code --console} need {@code --kernel} or {@code --firmware}, which this stand-in never takes (exit 2 with
 * clap's usage). {@code VIRTUALGHOST_FAKE_CH_VFIO=1} models a host with VFIO. {@code --api-socket fd=<n>} is refused:
 * a JVM cannot serve on an inherited listening descriptor portably.
 *
 * <p>Like CH it exits 0 when the guest powers off after {@code vm.power-button}, unless {@code --no-shutdown};
 * {@code vm.shutdown} only stops the VM. With {@code "serial": {"mode": "File", "file": ...}} in the VM config
 * the simulated guest writes a short boot log to that file on {@code vm.boot}: it stands for the guest console.
 *
 * <p>Test controls (environment): {@code VIRTUALGHOST_FAKE_CH_FAIL_START=<cause>} fails start-up with a
 * CH-like error on stderr and in the log file; {@code VIRTUALGHOST_FAKE_CH_START_DELAY_MS=<n>} starts
 * slowly; {@code VIRTUALGHOST_FAKE_CH_HANG_SHUTDOWN=1} never answers {@code vmm.shutdown};
 * {@code VIRTUALGHOST_FAKE_CH_IGNORE_SIGTERM=1} makes SIGTERM/SIGINT hang (only SIGKILL ends it);
 * {@code VIRTUALGHOST_FAKE_CH_SPEC=<yaml>} checks bodies against CH's OpenAPI file;
 * {@code VIRTUALGHOST_FAKE_GUEST_VSOCK="22=tcp:127.0.0.1:2222,1234=unix:/path/sock"} gives the simulated guest a
 * vsock driver whose ports lead there (see {@link FakeCloudHypervisor.Builder#guestVsockPort(int, Path)}).
 *
 * <p>Meant to be the whole of its JVM (see {@link FakeCloudHypervisor#installLauncher(Path)}): it owns the
 * simulator and its log file, closes both on exit, and halts the JVM; do not call {@link #main(String[])} from a
 * test's own JVM.
 */
public final class FakeCloudHypervisorMain {
    /** The flags seen so far, as clap's usage line lists them. */
    private static final List<String> USED = new ArrayList<>();

    private static final long START = System.nanoTime();

    private FakeCloudHypervisorMain() {}

    /**
     * Entry point; see the class comment for flags and environment. It returns only for {@code --version} and
     * {@code --help}; otherwise it ends the JVM itself with CH's exit status.
     *
     * @param args the command line, as the real {@code cloud-hypervisor} takes it
     * @throws Exception if the log file cannot be opened ({@link IOException}) or the main thread is interrupted
     *     while serving ({@link InterruptedException})
     */
    public static void main(String[] args) throws Exception {
        Path socket = null;
        Path events = null;
        Path logFile = null;
        boolean noShutdown = false;
        String vmOnlyFlag = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                USED.add(a.equals("--no-shutdown") ? a : a + " <" + a.substring(2) + ">");
            }
            switch (a) {
                case "-V":
                case "--version":
                    System.out.println("cloud-hypervisor v" + FakeCloudHypervisor.DEFAULT_VERSION);
                    return;
                case "-h":
                case "--help":
                    System.out.println("Launch a cloud-hypervisor VMM.\n\nUsage: cloud-hypervisor [OPTIONS]");
                    return;
                case "--api-socket":
                    socket = Path.of(pathValue(a, value(args, ++i, a)));
                    break;
                case "--event-monitor":
                    events = eventMonitor(a, value(args, ++i, a));
                    break;
                case "--serial":
                case "--console":
                    // Both only configure a VM given on the command line (CH's main.rs builds VmParams from them only
                    // when --kernel/--firmware is present); API-created VMs take serial and console from VmConfig.
                    // CH parses the value only for a VM on its command line; without --kernel clap refuses first.
                    value(args, ++i, a);
                    vmOnlyFlag = a;
                    break;
                case "--log-file":
                    logFile = Path.of(value(args, ++i, a));
                    break;
                case "--seccomp":
                    value(args, ++i, a);
                    break;
                case "--no-shutdown":
                    noShutdown = true;
                    break;
                default:
                    if (!a.matches("-v+")) {
                        USED.remove(USED.size() - 1);
                        usageError("unexpected argument '" + a + "' found");
                    }
            }
        }
        if (vmOnlyFlag != null) {
            // clap's ArgGroup in CH's main.rs: --serial and --console require --firmware or --kernel (measured on v54:
            // exit 2). This stand-in takes no VM on its command line, so it never has either.
            System.err.println("error: the following required arguments were not provided:\n"
                    + "  <--firmware <firmware>|--kernel <kernel>>\n\n"
                    + "Usage: cloud-hypervisor " + String.join(" ", USED)
                    + " <--firmware <firmware>|--kernel <kernel>>\n\n"
                    + "For more information, try '--help'.");
            System.err.flush();
            Runtime.getRuntime().halt(2);
        }
        Log log = new Log(logFile);
        log.info("Starting cloud-hypervisor (simulated)");
        String fail = System.getenv("VIRTUALGHOST_FAKE_CH_FAIL_START");
        String delay = System.getenv("VIRTUALGHOST_FAKE_CH_START_DELAY_MS");
        if (delay != null) {
            Thread.sleep(Long.parseLong(delay));
        }
        if (fail != null) {
            fatal(log, "Error booting VMM: " + fail);
        }
        if (socket == null) {
            // Without an API socket CH would need a VM on the command line; this stand-in has nothing to do then.
            fatal(log, "Error parsing config: the simulated cloud-hypervisor needs --api-socket");
        }
        CountDownLatch shutdown = new CountDownLatch(1);
        FakeCloudHypervisor.Builder builder =
                FakeCloudHypervisor.builder().socket(socket).onVmmShutdown(shutdown::countDown);
        // A guest power-off (vm.power-button, or a PvhTestGuest powering off) reaches CH's control loop as the vCPU's
        // exit event (vmm/src/lib.rs, EpollDispatch::Exit), which runs vmm_shutdown and ends the process. vm.shutdown
        // does not: it drops the VM and the VMM keeps serving. --no-shutdown keeps the VMM alive (see the spec README).
        builder.vfioAvailable("1".equals(System.getenv("VIRTUALGHOST_FAKE_CH_VFIO")));
        builder.noShutdown(noShutdown).onGuestPowerOff(() -> {
            log.info("VM exit event");
            shutdown.countDown();
        });
        try {
            GuestPorts.parse(System.getenv("VIRTUALGHOST_FAKE_GUEST_VSOCK"), builder);
        } catch (IllegalArgumentException e) {
            fatal(log, "Error parsing config: " + e.getMessage());
        }
        if (events != null) {
            builder.eventMonitor(events);
        }
        String spec = System.getenv("VIRTUALGHOST_FAKE_CH_SPEC");
        if (spec != null) {
            if (!SpecValidation.available()) {
                fatal(
                        log,
                        "Error parsing config: VIRTUALGHOST_FAKE_CH_SPEC needs com.atlassian.oai:"
                                + "swagger-request-validator-core on the fake's class path");
            }
            builder.spec(Path.of(spec));
        }
        FakeCloudHypervisor ch;
        try {
            ch = builder.start();
        } catch (RuntimeException e) {
            fatal(log, "Error starting VMM: " + e.getMessage());
            return;
        }
        if ("1".equals(System.getenv("VIRTUALGHOST_FAKE_CH_HANG_SHUTDOWN"))) {
            ch.delay("vmm.shutdown", Duration.ofDays(1));
        }
        boolean ignoreTerm = "1".equals(System.getenv("VIRTUALGHOST_FAKE_CH_IGNORE_SIGTERM"));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (ignoreTerm) {
                                log.info("Ignoring termination signal (test control)");
                                sleepForever();
                            }
                            log.info("Received termination signal, shutting down");
                            ch.close();
                            log.close();
                            // CH exits 0 on SIGTERM/SIGINT; the JVM would report 143/130, so end here with CH's status.
                            Runtime.getRuntime().halt(0);
                        },
                        "fake-ch-signal"));
        log.info("API server listening on " + socket);
        shutdown.await();
        log.info("VMM shutting down");
        ch.close();
        log.close();
        // halt, not exit: the VMM is gone and a signal hook must not run (it may be told to hang).
        Runtime.getRuntime().halt(0);
    }

    private static void sleepForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // Keep ignoring: only SIGKILL may end this process in that mode.
            }
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            usageError("a value is required for '" + flag + " <" + flag.substring(2) + ">' but none was supplied");
        }
        return args[i];
    }

    /** {@code path=<file>} or {@code fd=<n>} (an inherited descriptor, reached through /proc/self/fd). */
    private static Path eventMonitor(String flag, String value) {
        if (value.matches("fd=[0-9]+")) {
            return Path.of("/proc/self/fd", value.substring("fd=".length()));
        }
        return Path.of(pathValue(flag, value));
    }

    private static String pathValue(String flag, String value) {
        if (value.startsWith("fd=")) {
            usageError("invalid value '" + value + "' for '" + flag
                    + "': the simulated cloud-hypervisor supports path= only");
        }
        return value.startsWith("path=") ? value.substring("path=".length()) : value;
    }

    private static void usageError(String message) {
        // clap prints a usage line for an unexpected argument, none for a missing value (measured on v54).
        String usage = message.startsWith("unexpected")
                ? "\n\nUsage: cloud-hypervisor" + (USED.isEmpty() ? "" : " " + String.join(" ", USED))
                : "";
        System.err.println("error: " + message + usage + "\n\nFor more information, try '--help'.");
        System.err.flush();
        Runtime.getRuntime().halt(2);
    }

    private static void fatal(Log log, String message) {
        log.error(message);
        log.close();
        System.err.println(message);
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }

    /** CH's log line format: {@code cloud-hypervisor: <elapsed>: <thread> LEVEL:file:line -- message}. */
    private static final class Log {
        private final PrintStream out;

        Log(Path file) throws IOException {
            this.out = file == null
                    ? null
                    : new PrintStream(
                            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                            true,
                            StandardCharsets.UTF_8);
        }

        void info(String message) {
            line("INFO", message);
        }

        void error(String message) {
            line("ERROR", message);
        }

        private synchronized void line(String level, String message) {
            if (out != null) {
                double ms = (System.nanoTime() - START) / 1e6;
                out.printf("cloud-hypervisor: %.6fms: <vmm> %s:fake/main -- %s%n", ms, level, message);
            }
        }

        synchronized void close() {
            if (out != null) {
                out.close();
            }
        }
    }
}
