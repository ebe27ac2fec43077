package dev.virtualghost.ch;

import dev.virtualghost.api.CheckResult;
import dev.virtualghost.api.HostCheck;
import dev.virtualghost.api.HostCheckContext;
import dev.virtualghost.api.HostCheckProvider;
import dev.virtualghost.ch.internal.process.BinaryLocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Contributes the {@code ch.binary} check to the launcher's {@code doctor}: a runnable {@code cloud-hypervisor}
 * is found through {@code VIRTUALGHOST_CH_BINARY} or {@code PATH} and answers {@code --version} within a bounded
 * wait. Registered in {@code META-INF/services/dev.virtualghost.api.HostCheckProvider}.
 *
 * <p>Stateless and thread-safe; the check never changes the host and kills the probe process it started if it
 * overruns.
 */
public final class ChHostCheckProvider implements HostCheckProvider {

    /** The check's name. */
    public static final String CHECK = "ch.binary";
    /** The environment variable that names the binary explicitly. */
    public static final String ENV = "VIRTUALGHOST_CH_BINARY";

    private static final String REMEDY = "install cloud-hypervisor (https://github.com/cloud-hypervisor/"
            + "cloud-hypervisor/releases) on PATH or set " + ENV + " to its path";

    private final Map<String, String> env;
    private final Duration versionTimeout;

    /** The provider ServiceLoader uses: reads the process environment, waits up to 5 s for {@code --version}. */
    public ChHostCheckProvider() {
        this(System.getenv(), Duration.ofSeconds(5));
    }

    /**
     * A provider over a given environment (for tests) and {@code --version} deadline.
     *
     * @param env            the environment to read {@value #ENV} and {@code PATH} from; copied
     * @param versionTimeout how long the check waits for {@code cloud-hypervisor --version} to answer
     * @throws NullPointerException if {@code env} is null or holds a null key or value
     */
    public ChHostCheckProvider(Map<String, String> env, Duration versionTimeout) {
        this.env = Map.copyOf(env);
        this.versionTimeout = versionTimeout;
    }

    @Override
    public List<HostCheck> checks(HostCheckContext context) {
        return List.of(HostCheck.of(CHECK, this::probe));
    }

    private CheckResult probe() {
        Optional<Path> bin;
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                return CheckResult.fail(
                        CHECK,
                        ENV + "=" + explicit + " is not an executable file",
                        "point " + ENV + " at the cloud-hypervisor binary, or unset it to search PATH");
            }
            bin = Optional.of(p);
        } else {
            bin = BinaryLocator.find("cloud-hypervisor", env.getOrDefault("PATH", ""));
        }
        if (bin.isEmpty()) {
            return CheckResult.fail(CHECK, "cloud-hypervisor not found on PATH", REMEDY);
        }
        return version(bin.get());
    }

    private CheckResult version(Path bin) {
        Process p;
        try {
            p = new ProcessBuilder(bin.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            return CheckResult.fail(CHECK, "cannot run " + bin + ": " + e.getMessage(), REMEDY);
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(versionTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return CheckResult.fail(
                        CHECK,
                        bin + " --version did not finish within " + versionTimeout,
                        "check that " + bin + " is really cloud-hypervisor");
            }
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            }
            if (p.exitValue() != 0) {
                return CheckResult.fail(
                        CHECK,
                        bin + " --version exited with " + p.exitValue() + ": " + firstLine(out),
                        "check that " + bin + " is a working cloud-hypervisor build");
            }
            return CheckResult.ok(CHECK, firstLine(out) + " (" + bin + ")");
        } catch (IOException e) {
            return CheckResult.fail(CHECK, "cannot read " + bin + " --version: " + e.getMessage(), REMEDY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.skipped(CHECK, "interrupted while running " + bin + " --version");
        } finally {
            p.destroyForcibly();
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
