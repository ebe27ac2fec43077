package dev.virtualghost.examples;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.api.VirtualGhostException;
import dev.virtualghost.launcher.LaunchSpec;
import dev.virtualghost.launcher.Launcher;
import dev.virtualghost.launcher.Session;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Launches a VM and runs one command in it, through the embeddable {@link Launcher} and its {@link Session}: the
 * launcher starts cloud-hypervisor, boots the guest (with a GPU when one is given), pins the guest's SSH host key
 * from its serial console, logs in over hybrid vsock with a fresh per-session key, and this example runs the
 * command, prints its output and exits with its status. Closing the session powers the guest off, stops the VMM
 * and gives the GPU back.
 *
 * <pre>
 * usage: RunCommandExample [--gpu ADDRESS] [--initramfs FILE] [--rootfs FILE] [--runtime-root DIR]
 *                          &lt;cloud-hypervisor&gt; &lt;kernel&gt; &lt;command&gt;
 * </pre>
 *
 * <p>The guest must be a VirtualGhost guest (see {@code guest/}): sshd on vsock port 22, host keys announced on
 * ttyS0. Mistakes (missing files, a launch that fails) end with one line on stderr and exit status 255, like
 * {@code ssh}; a wrong command line exits with 2.
 */
public final class RunCommandExample {
    private static final String USAGE = "usage: RunCommandExample [--gpu ADDRESS] [--initramfs FILE] [--rootfs FILE]"
            + " [--runtime-root DIR] <cloud-hypervisor> <kernel> <command>";

    private RunCommandExample() {}

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
     * @param args the command line (see the class Javadoc)
     * @param out  where the command's stdout goes
     * @param err  where the command's stderr and the error line go
     * @return the command's exit status, 255 on an error, 2 on a wrong command line
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        LaunchSpec.Builder spec =
                LaunchSpec.builder().vcpus(1).memoryBytes(512L << 20).ssh(true).shutdownGrace(Duration.ofSeconds(5));
        Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
        try {
            while (!rest.isEmpty() && rest.peek().startsWith("--")) {
                String option = rest.pop();
                if (rest.isEmpty()) {
                    err.println(USAGE);
                    return 2;
                }
                String value = rest.pop();
                switch (option) {
                    case "--gpu" -> spec.gpu(PciAddress.parse(value));
                    case "--initramfs" -> spec.initramfs(readable(value));
                    case "--rootfs" -> spec.rootfs(readable(value));
                    case "--runtime-root" -> spec.runtimeRoot(Path.of(value));
                    default -> {
                        err.println(USAGE);
                        return 2;
                    }
                }
            }
            if (rest.size() != 3) {
                err.println(USAGE);
                return 2;
            }
            spec.chBinary(readable(rest.pop())).kernel(readable(rest.pop()));
            String command = rest.pop();
            try (Session vm = Launcher.builder().spec(spec.build()).build().start()) {
                return vm.exec(command, InputStream.nullInputStream(), out, err, Duration.ofMinutes(5));
            }
        } catch (IllegalArgumentException | VirtualGhostException e) {
            err.println("error: " + firstLine(e.getMessage()));
            return 255;
        }
    }

    private static Path readable(String file) {
        Path p = Path.of(file);
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(p + " does not exist or is not readable");
        }
        return p;
    }

    private static String firstLine(String message) {
        return message == null ? "failed" : message.lines().findFirst().orElse("failed");
    }
}
