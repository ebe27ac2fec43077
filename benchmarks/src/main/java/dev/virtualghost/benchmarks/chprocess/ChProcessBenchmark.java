package dev.virtualghost.benchmarks.chprocess;

import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.testkit.CloudHypervisorBinary;
import dev.virtualghost.ch.testkit.PvhTestGuest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Whole-process costs against the REAL {@code cloud-hypervisor} ({@link CloudHypervisorBinary}), each against its
 * floor in the same run:
 * <ul>
 *   <li>{@code chProcessStartToApiReady}: {@code ChProcess.start()} (runtime dir, spawn, event monitor, wait for
 *       {@code vmm.ping} with our child's pid) vs {@code bareBinaryToApiReady}: the binary spawned with
 *       {@code --api-socket} and the socket polled every millisecond with a raw {@code GET vmm.ping} until it
 *       answers 200. Stopping the VMM is outside the measured time for both.</li>
 *   <li>{@code chProcessBootToPowerOff}: ChProcess + ChClient create and boot the {@link PvhTestGuest} (power-off
 *       mode), then wait for the VMM's exit vs {@code bareBinaryKernelToExit}: the binary with the same guest as
 *       {@code --kernel} on its command line, waited for (the floor: no API at all).</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ChProcessBenchmark -f 1 -wi 3 -i 5 -w 2s -r 3s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChProcessBenchmark {
    private static final byte[] PING =
            "GET /api/v1/vmm.ping HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private Path binary;
    private Path work;
    private Path kernel;
    private ChProcess process;
    private Process bare;
    private Path bareDir;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        binary = CloudHypervisorBinary.find()
                .orElseThrow(() -> new IllegalStateException(CloudHypervisorBinary.missingReason()));
        work = Files.createTempDirectory(
                "vg-chprocess-bench-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        kernel = PvhTestGuest.builder().serialLine("VIRTUALGHOST-BENCH").build().writeTo(work.resolve("guest.elf"));
    }

    @TearDown(Level.Invocation)
    public void stopVmm() throws Exception {
        if (process != null) {
            process.close();
            process = null;
        }
        if (bare != null) {
            bare.destroy();
            bare.waitFor(10, TimeUnit.SECONDS);
            bare.destroyForcibly().waitFor();
            bare = null;
        }
        if (bareDir != null) {
            delete(bareDir);
            bareDir = null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        delete(work);
    }

    @Benchmark
    public long chProcessStartToApiReady() {
        process = ChProcess.builder().binary(binary).start();
        return process.pid();
    }

    @Benchmark
    public long bareBinaryToApiReady() throws Exception {
        bareDir = Files.createTempDirectory(work, "bare-");
        Path socket = bareDir.resolve("api.sock");
        bare = new ProcessBuilder(binary.toString(), "--api-socket", "path=" + socket)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket) && pingAnswers(socket)) {
                return bare.pid();
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("the bare VMM did not answer in 20 s");
    }

    @Benchmark
    public int chProcessBootToPowerOff() {
        process = ChProcess.builder().binary(binary).start();
        process.client()
                .create(VmConfig.builder()
                        .payload(PayloadConfig.ofKernel(kernel.toString(), null))
                        .serial(process.serialConfig())
                        .build());
        process.client().boot();
        return process.awaitExit(Duration.ofSeconds(20)).orElseThrow();
    }

    @Benchmark
    public int bareBinaryKernelToExit() throws Exception {
        bareDir = Files.createTempDirectory(work, "bare-");
        bare = new ProcessBuilder(
                        binary.toString(),
                        "--kernel",
                        kernel.toString(),
                        "--serial",
                        "file=" + bareDir.resolve("serial"),
                        "--console",
                        "off")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!bare.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the guest did not power off in 20 s");
        }
        return bare.exitValue();
    }

    private static boolean pingAnswers(Path socket) {
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket))) {
            s.getOutputStream().write(PING);
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = in.readNBytes(head, 0, head.length);
            return n == head.length && new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    private static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
