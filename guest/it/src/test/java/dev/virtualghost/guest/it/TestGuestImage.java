package dev.virtualghost.guest.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux test guest as built by {@code guest/test-guest/build.sh} into a cache directory (the script itself
 * keeps it keyed by package versions and does nothing when it is current).
 */
record TestGuestImage(Path kernel, Path initramfs, String kernelRelease, Duration buildTime) {
    private static final Logger LOG = LoggerFactory.getLogger(TestGuestImage.class);
    /** build.sh's exit code for "the Debian packages cannot be downloaded here". */
    private static final int NO_PACKAGES = 3;

    /**
     * Builds (or reuses) the test guest; skips the calling test (fails in strict mode) when the host lacks what
     * the build needs.
     */
    static TestGuestImage buildOrSkip() throws IOException, InterruptedException {
        Path guestDir = Path.of(System.getProperty("virtualghost.guest.dir", "../../guest"))
                .toAbsolutePath()
                .normalize();
        Path script = guestDir.resolve("test-guest/build.sh");
        if (!Files.isExecutable(script)) {
            HostCheck.missing("no executable " + script + " (-Dvirtualghost.guest.dir points at the repo's guest/)");
        }
        for (String tool : List.of("apt-get", "dpkg-deb", "python3", "busybox")) {
            if (HostCheck.onPath(tool).isEmpty()) {
                HostCheck.missing(tool + " not found: the test guest is built from Debian packages"
                        + " (apt-get install python3 busybox-static)");
            }
        }
        Path out = Path.of(System.getProperty("virtualghost.testguest.cache", "target/test-guest"));
        Files.createDirectories(out);
        Path log = Files.createTempFile(out.getParent(), "test-guest-build", ".log");
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(script.toString(), out.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("test guest build took over 10 minutes: " + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8).strip();
            if (p.exitValue() == NO_PACKAGES) {
                HostCheck.missing("test guest not built: " + output);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        "guest/test-guest/build.sh failed (exit " + p.exitValue() + "): " + output);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            LOG.info("{} ({} ms)", output, took.toMillis());
            String release = Files.readAllLines(out.resolve("versions.txt")).stream()
                    .filter(l -> l.startsWith("linux-image-"))
                    .map(l -> l.substring("linux-image-".length(), l.indexOf(' ')))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no kernel in versions.txt"));
            return new TestGuestImage(out.resolve("bzImage"), out.resolve("initramfs.cpio.gz"), release, took);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
