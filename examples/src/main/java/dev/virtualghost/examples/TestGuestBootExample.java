package dev.virtualghost.examples;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChEvent;
import dev.virtualghost.ch.ChException;
import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.model.CpusConfig;
import dev.virtualghost.ch.model.MemoryConfig;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.testkit.PvhTestGuest;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The CH client alone, end to end: starts {@code cloud-hypervisor} with {@link ChProcess}, writes the testkit's
 * {@link PvhTestGuest} (a tiny PVH kernel that prints a line on the serial port, then powers the VM off) into the
 * VMM's private runtime directory, creates and boots a VM with it, prints the guest's serial line and the VMM's
 * events, and waits for the guest to power off (after which the VMM exits by itself).
 *
 * <pre>
 * usage: TestGuestBootExample [cloud-hypervisor [marker]]
 * </pre>
 *
 * <p>Without a binary, {@code $VIRTUALGHOST_CH_BINARY} then {@code PATH} are searched. Mistakes (no such binary,
 * a VMM that fails) end with one line on stderr and exit status 1; a wrong command line exits with 2.
 */
public final class TestGuestBootExample {
    /** The serial line the guest prints when no marker is given. */
    public static final String DEFAULT_MARKER = "hello from the VirtualGhost test guest";

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestGuestBootExample() {}

    /**
     * Runs the example; see the class Javadoc for the arguments.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the example, printing to the given streams.
     *
     * @param args the command line: {@code [cloud-hypervisor [marker]]}
     * @param out  where the example's own output goes
     * @param err  where the error line goes
     * @return the exit status: 0 once the guest powered off, 1 on an error, 2 on a wrong command line
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 2) {
            err.println("usage: TestGuestBootExample [cloud-hypervisor [marker]]");
            return 2;
        }
        String marker = args.length > 1 ? args[1] : DEFAULT_MARKER;
        if (marker.isBlank() || !marker.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            err.println("error: the marker must be printable ASCII text, not empty");
            return 2;
        }
        ChProcess.Builder builder =
                ChProcess.builder().eventListener(e -> out.println("event: " + e.source() + " " + e.event()));
        if (args.length > 0) {
            Path binary = Path.of(args[0]);
            if (!Files.isExecutable(binary)) {
                err.println("error: " + binary + " is not an executable cloud-hypervisor binary");
                return 1;
            }
            builder.binary(binary);
        }
        try (ChProcess vmm = builder.start()) {
            ChClient api = vmm.client();
            out.println("cloud-hypervisor " + api.ping().version() + " running as pid " + vmm.pid());
            Path kernel = PvhTestGuest.builder()
                    .serialLine(marker)
                    .mode(PvhTestGuest.Mode.POWER_OFF)
                    .build()
                    .writeTo(vmm.runtimeDir().resolve("test-guest.elf"));
            api.create(VmConfig.builder()
                    .payload(PayloadConfig.ofKernel(kernel, null))
                    .cpus(CpusConfig.of(1))
                    .memory(MemoryConfig.ofSize(64L << 20))
                    .serial(vmm.serialConfig()) // the guest's serial port into a 0600 file vmm owns
                    .build());
            api.boot();
            Optional<ChEvent> shutdown = vmm.awaitEvent("vm", "shutdown", WAIT);
            out.println("serial: " + vmm.serialTail(1).strip());
            if (shutdown.isEmpty()) {
                err.println("error: the guest did not power off within " + WAIT.toSeconds() + " s");
                return 1;
            }
            OptionalInt exit = vmm.awaitExit(WAIT); // CH exits by itself once its only VM powered off
            out.println("guest powered off; cloud-hypervisor exited with "
                    + (exit.isPresent() ? "status " + exit.getAsInt() : "no status yet"));
            return 0;
        } catch (ChException e) {
            err.println("error: " + e.getMessage().lines().findFirst().orElse(e.toString()));
            return 1;
        }
    }
}
