package dev.virtualghost.guest.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One QEMU TCG process booting a kernel + initramfs with user networking (guest TCP 22 forwarded to a free
 * loopback port) and its serial console in a file. Owns the process: close() kills it and waits for it.
 */
final class QemuGuest implements AutoCloseable {
    private final Process process;
    private final Path serial;
    private final Path output;
    private final int sshPort;

    private QemuGuest(Process process, Path serial, Path output, int sshPort) {
        this.process = process;
        this.serial = serial;
        this.output = output;
        this.sshPort = sshPort;
    }

    /** Starts QEMU; {@code dir} (private to the caller) receives the serial and QEMU output files. */
    static QemuGuest start(Path qemu, Path kernel, Path initramfs, String append, Path dir) throws IOException {
        int port = freePort();
        Path serial = dir.resolve("serial.log");
        Path output = dir.resolve("qemu.log");
        List<String> cmd = List.of(
                qemu.toString(),
                "-accel",
                "tcg",
                "-M",
                "q35",
                "-m",
                "512",
                "-smp",
                "1",
                "-nographic",
                "-no-reboot",
                "-nodefaults",
                "-display",
                "none",
                "-monitor",
                "none",
                "-kernel",
                kernel.toString(),
                "-initrd",
                initramfs.toString(),
                "-append",
                append,
                "-netdev",
                "user,id=n0,hostfwd=tcp:127.0.0.1:" + port + "-:22",
                "-device",
                "virtio-net-pci,netdev=n0,romfile=",
                "-serial",
                "file:" + serial);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new QemuGuest(p, serial, output, port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int sshPort() {
        return sshPort;
    }

    Process process() {
        return process;
    }

    /** The serial console so far. */
    String serialText() throws IOException {
        return Files.exists(serial) ? Files.readString(serial, StandardCharsets.ISO_8859_1) : "";
    }

    /**
     * Waits until a serial line matches {@code line}; returns the match, or empty if QEMU exits or the timeout
     * passes first.
     */
    Optional<Matcher> awaitSerial(Pattern line, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = line.matcher(serialText());
            if (m.find()) {
                return Optional.of(m);
            }
            if (!process.isAlive() || System.nanoTime() > end) {
                return Optional.empty();
            }
            Thread.sleep(50);
        }
    }

    /** What QEMU itself printed (errors), for failure messages. */
    String qemuOutput() throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("QEMU pid " + process.pid() + " did not die on SIGKILL");
        }
    }
}
