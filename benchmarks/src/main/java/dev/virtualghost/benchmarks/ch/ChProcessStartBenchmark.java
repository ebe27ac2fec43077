package dev.virtualghost.benchmarks.ch;

import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.ChTimeoutException;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.testkit.PvhTestGuest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.OptionalInt;
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
 * Start-up against the REAL {@code cloud-hypervisor}: {@link ChProcess#builder()}{@code .start()} until the API
 * answers {@code vmm.ping} with our child's pid, against the floor of the same thing by hand (spawn the binary
 * with {@code --api-socket}, then poll the socket with a raw {@code GET vmm.ping} until it answers); and a whole
 * VM life: start, {@code vm.create} with the PVH test guest, {@code vm.boot}, the guest powers off, the VMM
 * exits. Each operation's VMM is stopped outside the measured time.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ChProcessStartBenchmark -f 1 -wi 5 -i 10 -bm ss}
 * from the repository root.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChProcessStartBenchmark {

    private static final byte[] PING =
            "GET /api/v1/vmm.ping HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private Path binary;
    private Path guest;
    private Path dir;
    private ChProcess started;
    private Process bare;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        binary = RealChVmm.binary().toAbsolutePath();
        dir = Files.createTempDirectory(
                "vg-start-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        guest = PvhTestGuest.builder()
                .serialLine("bench")
                .mode(PvhTestGuest.Mode.POWER_OFF)
                .build()
                .writeTo(dir.resolve("guest.elf"));
    }

    @TearDown(Level.Invocation)
    public void stopVmm() throws Exception {
        if (started != null) {
            started.close();
            started = null;
        }
        if (bare != null) {
            bare.destroyForcibly().waitFor();
            bare = null;
            Files.deleteIfExists(dir.resolve("api.sock"));
            Files.deleteIfExists(dir.resolve("api.sock.lock"));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@code ChProcess.start()}: spawn, refuse-if-held check, wait for {@code vmm.ping} with our pid. */
    @Benchmark
    public long chProcessStart() {
        started = ChProcess.builder().binary(binary).start();
        return started.pid();
    }

    /** The floor: spawn {@code cloud-hypervisor --api-socket}, then poll the socket until vmm.ping answers. */
    @Benchmark
    public long bareSpawnAndPoll() throws Exception {
        Path socket = dir.resolve("api.sock");
        bare = new ProcessBuilder(binary.toString(), "--api-socket", "path=" + socket)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        byte[] buf = new byte[4096];
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket))) {
                    OutputStream out = s.getOutputStream();
                    out.write(PING);
                    out.flush();
                    InputStream in = s.getInputStream();
                    int n = in.read(buf);
                    if (n > 12 && new String(buf, 0, 12, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200")) {
                        return bare.pid();
                    }
                } catch (IOException notYet) {
                    // Bound but not listening yet, or not bound: poll again.
                }
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("cloud-hypervisor did not answer within 10 s");
    }

    /** Start, create with the PVH test guest, boot; the guest prints and powers off; the VMM exits 0. */
    @Benchmark
    public int startCreateBootPowerOff() {
        started = ChProcess.builder().binary(binary).start();
        started.client()
                .create(VmConfig.builder()
                        .payload(PayloadConfig.ofKernel(guest.toString(), null))
                        .serial(started.serialConfig())
                        .build());
        started.client().boot();
        OptionalInt exit = started.awaitExit(Duration.ofSeconds(10));
        if (exit.isEmpty() || exit.getAsInt() != 0) {
            throw new ChTimeoutException("guest did not power the VMM off: exit " + exit, null);
        }
        return exit.getAsInt();
    }
}
