package dev.virtualghost.examples;

import dev.virtualghost.ch.ChApiException;
import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChException;
import dev.virtualghost.ch.model.CpusConfig;
import dev.virtualghost.ch.model.MemoryConfig;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmInfo;
import dev.virtualghost.ch.model.VmmPingResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Drives a running {@code cloud-hypervisor --api-socket path=<socket>} with {@link ChClient}: pings it, prints the
 * VMM version and, when no VM exists yet and a kernel is given, creates a small VM, boots it, prints its info and
 * shuts it down again.
 *
 * <pre>
 * usage: ChClientExample &lt;api-socket&gt; [kernel [cmdline]]
 * </pre>
 *
 * <p>User mistakes (missing socket, missing kernel, CH errors) end with one line on stderr and exit status 1;
 * a wrong command line exits with 2.
 */
public final class ChClientExample {

    private ChClientExample() {}

    /** Runs the example; see the class Javadoc for the arguments. */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: ChClientExample <api-socket> [kernel [cmdline]]");
            System.exit(2);
        }
        Path socket = Path.of(args[0]);
        Path kernel = args.length > 1 ? Path.of(args[1]) : null;
        String cmdline = args.length > 2 ? args[2] : "console=hvc0";
        if (kernel != null && !Files.isReadable(kernel)) {
            System.err.println("error: kernel " + kernel + " does not exist or is not readable");
            System.exit(1);
        }
        try (ChClient ch = ChClient.builder()
                .socket(socket)
                .callTimeout(Duration.ofSeconds(5))
                .build()) {
            VmmPingResponse ping = ch.ping();
            System.out.println("cloud-hypervisor " + ping.version() + " (build " + ping.buildVersion() + ", pid "
                    + ping.pid() + ")");
            if (vmExists(ch)) {
                System.out.println("a VM already exists: state " + ch.info().state() + "; leaving it alone");
                return;
            }
            if (kernel == null) {
                System.out.println("no VM exists; pass a kernel path to create and boot one");
                return;
            }
            ch.create(VmConfig.builder()
                    .payload(PayloadConfig.ofKernel(kernel.toAbsolutePath().toString(), cmdline))
                    .cpus(CpusConfig.of(1))
                    .memory(MemoryConfig.ofSize(512L << 20))
                    .build());
            System.out.println("created the VM");
            ch.boot();
            VmInfo info = ch.info();
            System.out.println("booted: state " + info.state() + ", memory " + info.memoryActualSize() + " bytes");
            ch.shutdown();
            System.out.println("shut down: state " + ch.info().state());
        } catch (ChException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    /** CH answers vm.info with 404 (or, for some versions, 500) while no VM has been created. */
    private static boolean vmExists(ChClient ch) {
        try {
            ch.info();
            return true;
        } catch (ChApiException e) {
            if (e.status() == 404 || e.status() == 500) {
                return false;
            }
            throw e;
        }
    }
}
