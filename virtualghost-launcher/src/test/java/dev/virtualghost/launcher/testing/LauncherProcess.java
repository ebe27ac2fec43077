package dev.virtualghost.launcher.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The launcher CLI as a real child JVM ({@code java -cp <test class path> ...cli.Main args}), as a user runs
 * it, so that signals and {@code kill -9} hit a real process. Output goes to files in {@code dir}.
 */
public final class LauncherProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private LauncherProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code virtualghost args} with the runtime root and config home pointing into {@code dir}. */
    public static LauncherProcess start(Path dir, Path runtimeRoot, String... args) throws IOException {
        return start(dir, runtimeRoot, java.util.Map.of(), args);
    }

    /**
     * {@code run --wait} of {@code kernel} on the VMM {@code ch} with the smallest machine (1 vCPU, 64 MiB): how the
     * end-to-end tests boot the tiny test guest; {@code extra} flags follow.
     */
    public static LauncherProcess startWaitRun(Path dir, Path runtimeRoot, Path ch, Path kernel, String... extra)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "run",
                "--wait",
                "--ch-binary",
                ch.toString(),
                "--kernel",
                kernel.toString(),
                "--memory",
                "64M",
                "--vcpus",
                "1"));
        args.addAll(List.of(extra));
        return start(dir, runtimeRoot, args.toArray(String[]::new));
    }

    /** {@link #start(Path, Path, String...)} with {@code env} added to the child's environment. */
    public static LauncherProcess start(Path dir, Path runtimeRoot, java.util.Map<String, String> env, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            // What the runnable jar's manifest (Enable-Native-Access) does for java -jar: no JNA/junixsocket warning.
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.virtualghost.launcher.cli.Main");
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "launcher", ".out");
        Path err = Files.createTempFile(dir, "launcher", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("VIRTUALGHOST_RUNTIME_DIR", runtimeRoot.toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        pb.environment().putAll(env);
        return new LauncherProcess(pb.start(), out, err);
    }

    /** The child's pid. */
    public long pid() {
        return process.pid();
    }

    /** The process. */
    public Process process() {
        return process;
    }

    /** Waits for the exit; fails the test when it takes longer than {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the launcher did not exit within " + timeout + "; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** Waits until stderr contains {@code text}. */
    public void awaitStderr(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!stderr().contains(text)) {
            if (System.nanoTime() - deadline > 0 || !process.isAlive() && !stderr().contains(text)) {
                throw new AssertionError("no '" + text + "' on the launcher's stderr; it says:\n" + stderr());
            }
            Thread.sleep(20);
        }
    }

    /** What the launcher printed to stdout so far. */
    public String stdout() {
        return read(stdout);
    }

    /** What the launcher printed to stderr so far. */
    public String stderr() {
        return read(stderr);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Sends a signal ({@code INT}, {@code TERM}, {@code KILL}) with {@code kill}. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
