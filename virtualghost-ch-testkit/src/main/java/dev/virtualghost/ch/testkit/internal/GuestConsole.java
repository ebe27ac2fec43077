package dev.virtualghost.ch.testkit.internal;

import dev.virtualghost.ch.testkit.PvhTestGuest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The simulated guest's serial console: with {@code "serial": {"mode": "File", "file": ...}} CH writes what the
 * guest prints on its serial port to that file. A {@link PvhTestGuest} kernel prints exactly its lines (read from
 * the image's descriptor note); any other kernel stands for a Linux guest and prints a short boot log.
 *
 * <p>Thread-safe (stateless); the file is closed before {@link #boot} returns.
 */
final class GuestConsole {
    private GuestConsole() {}

    /**
     * Appends what the booting guest prints to the config's serial file (nothing unless the serial mode is File).
     *
     * @return the test guest the kernel is, or null for any other kernel
     *
     * @throws ApiFailure 500 when the file cannot be written, as CH fails the boot then
     */
    static PvhTestGuest boot(Map<String, Object> config) throws ApiFailure {
        String kernel = Json.string(Json.object(config, "payload"), "kernel");
        PvhTestGuest guest = null;
        if (kernel != null && Files.isRegularFile(Path.of(kernel))) {
            try {
                guest = PvhTestGuest.read(Path.of(kernel)).orElse(null);
            } catch (UncheckedIOException e) {
                guest = null;
            }
        }
        Map<String, Object> serial = Json.object(config, "serial");
        String file = Json.string(serial, "file");
        if (serial == null || file == null || !"File".equals(Json.string(serial, "mode"))) {
            return guest;
        }
        if (guest != null) {
            write(file, guest.serialOutput());
            return guest;
        }
        Long vcpus = Json.number(Json.object(config, "cpus"), "boot_vcpus");
        String cmdline = Json.string(Json.object(config, "payload"), "cmdline");
        String text = "[    0.000000] Linux version 6.12.0-fake (FakeCloudHypervisor simulated guest)\n"
                + "[    0.000000] Command line: " + (cmdline == null ? "" : cmdline) + "\n"
                + "[    0.010000] smp: Brought up 1 node, " + (vcpus == null ? 1L : vcpus.longValue()) + " CPUs\n"
                + "[    0.500000] Run /sbin/init as init process\n"
                + "fake-guest login: \n";
        write(file, text);
        return null;
    }

    /** Empties the config's serial file (mode File), as CH's reboot reopens it. */
    static void truncateSerial(Map<String, Object> config) throws ApiFailure {
        Map<String, Object> serial = Json.object(config, "serial");
        String file = Json.string(serial, "file");
        if (serial != null && file != null && "File".equals(Json.string(serial, "mode"))) {
            try {
                Files.write(Path.of(file), new byte[0]);
            } catch (IOException e) {
                throw ApiFailure.api(
                        500, "The VM could not reboot", "Error creating serial output file " + file + ": " + e);
            }
        }
    }

    private static void write(String file, String text) throws ApiFailure {
        try {
            Files.writeString(
                    Path.of(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // CH opens the serial file when it builds the VM and fails the boot when it cannot.
            throw ApiFailure.api(500, "The VM could not boot", "Error creating serial output file " + file + ": " + e);
        }
    }
}
