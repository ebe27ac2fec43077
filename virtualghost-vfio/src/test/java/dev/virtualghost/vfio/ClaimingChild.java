package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A run in a process of its own, for the claim tests: binds a device of a {@link FakeSysfs} tree, prints
 * {@code BOUND <journal>} (or {@code REFUSED <message>}) and then blocks until killed, never closing its binding,
 * as a run that crashes or is killed while it holds a GPU.
 *
 * <p>Arguments: sysfs root, journal directory, claim directory, PCI address.
 */
public final class ClaimingChild {
    private ClaimingChild() {}

    /** A child that bound its device and holds it: its process and the journal it wrote. */
    public record Holder(Process process, Path journal) {
        /** Kills it with SIGKILL (no shutdown hook, no close) and waits until it is gone. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child " + process.pid() + " survived SIGKILL for 10 s");
            }
        }
    }

    /**
     * Starts a child JVM that binds {@code address} of the tree at {@code sysRoot} and waits until it has.
     *
     * @throws IllegalStateException when the child did not bind (its first line says why)
     */
    public static Holder bind(Path sysRoot, Path journals, Path claims, String address) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        ClaimingChild.class.getName(),
                        sysRoot.toString(),
                        journals.toString(),
                        claims.toString(),
                        address)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("BOUND ")) {
            p.destroyForcibly();
            throw new IllegalStateException("the child did not bind " + address + ": " + line);
        }
        return new Holder(p, Path.of(line.substring("BOUND ".length())));
    }

    public static void main(String[] args) throws Exception {
        FakeSysfs fs = FakeSysfs.existing(Path.of(args[0]));
        VfioBinder binder = VfioBinder.builder()
                .bus(PciBus.at(fs.root(), PciIds.none()))
                .writer(fs)
                .journalDirectory(Path.of(args[1]))
                .claimDirectory(Path.of(args[2]))
                .build();
        VfioBinding binding;
        try {
            binding = binder.bind(PciAddress.parse(args[3]));
        } catch (VfioClaimException e) {
            System.out.println("REFUSED " + e.getMessage());
            System.out.flush();
            return;
        }
        System.out.println("BOUND " + binding.journal());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
