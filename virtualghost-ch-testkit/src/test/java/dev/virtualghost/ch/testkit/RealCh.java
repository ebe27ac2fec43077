package dev.virtualghost.ch.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers for tests that run the real {@code cloud-hypervisor} as a bare process. */
final class RealCh {
    private static final Pattern EVENT = Pattern.compile("\"source\":\\s*\"([^\"]*)\",\\s*\"event\":\\s*\"([^\"]*)\"");

    private RealCh() {}

    /** {@code source event} pairs from a {@code --event-monitor} file, in order. */
    static List<String> events(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        Matcher m = EVENT.matcher(Files.readString(file));
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }

    /** The events once {@code count} are there (or after 5 s, whatever is there). */
    static List<String> awaitEvents(Path file, int count) throws IOException, InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        List<String> events = events(file);
        while (events.size() < count && System.nanoTime() < end) {
            Thread.sleep(20);
            events = events(file);
        }
        return events;
    }

    /** Starts the real binary with a VM on its command line booting {@code kernel}. */
    static Process bootKernel(Path dir, Path kernel) throws IOException {
        Path binary = CloudHypervisorBinary.find().orElseThrow();
        return new ProcessBuilder(
                        binary.toString(),
                        "--kernel",
                        kernel.toString(),
                        "--serial",
                        "file=" + dir.resolve("serial"),
                        "--console",
                        "off",
                        "--event-monitor",
                        "path=" + dir.resolve("events"),
                        "--cpus",
                        "boot=1",
                        "--memory",
                        "size=64M")
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
    }
}
