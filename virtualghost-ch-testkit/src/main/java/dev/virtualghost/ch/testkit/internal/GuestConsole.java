package dev.virtualghost.ch.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The simulated guest's serial console: with {@code "serial": {"mode": "File", "file": ...}} CH writes what the
 * guest prints on its serial port to that file, so the simulated guest prints a short boot log there.
 *
 * <p>Thread-safe (stateless); the file is closed before {@link #writeBootLog} returns.
 */
final class GuestConsole {
  private GuestConsole() {}

  /**
   * Appends the boot log to the config's serial file; does nothing unless the serial mode is File.
   *
   * @throws ApiFailure 500 when the file cannot be written, as CH fails the boot then
   */
  static void writeBootLog(Map<String, Object> config) throws ApiFailure {
    Map<String, Object> serial = Json.object(config, "serial");
    String file = Json.string(serial, "file");
    if (serial == null || file == null || !"File".equals(Json.string(serial, "mode"))) {
      return;
    }
    Long vcpus = Json.number(Json.object(config, "cpus"), "boot_vcpus");
    String cmdline = Json.string(Json.object(config, "payload"), "cmdline");
    String text = "[    0.000000] Linux version 6.12.0-fake (FakeCloudHypervisor simulated guest)\n"
        + "[    0.000000] Command line: " + (cmdline == null ? "" : cmdline) + "\n"
        + "[    0.010000] smp: Brought up 1 node, " + (vcpus == null ? 1L : vcpus.longValue()) + " CPUs\n"
        + "[    0.500000] Run /sbin/init as init process\n"
        + "fake-guest login: \n";
    try {
      Files.writeString(Path.of(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // CH opens the serial file when it builds the VM and fails the boot when it cannot.
      throw ApiFailure.api(500, "The VM could not boot", "Error creating serial output file " + file + ": " + e);
    }
  }
}
