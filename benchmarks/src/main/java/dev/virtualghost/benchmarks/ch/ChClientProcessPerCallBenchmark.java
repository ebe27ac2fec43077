package dev.virtualghost.benchmarks.ch;

import dev.virtualghost.ch.ChProcess;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The shell user's way to call the REAL {@code cloud-hypervisor}: one {@code ch-remote} or
 * {@code curl --unix-socket} process per call, against a VMM with a created VM, for comparison with the warm
 * {@code ChClient} calls of {@link ChClientBenchmark} in the same run
 * ({@code java -jar benchmarks/target/benchmarks.jar ChClient ...}). The process is started from this JVM, as a
 * Java program shelling out would; a shell's fork is of the same order.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChClientProcessPerCallBenchmark {

    /** The real VMM and the four command lines. */
    @State(Scope.Benchmark)
    public static class ProcessPerCall {
        ChProcess ch;
        String[] chRemotePing;
        String[] chRemoteInfo;
        String[] curlPing;
        String[] curlInfo;

        @Setup
        public void setUp() {
            ch = RealChVmm.start();
            String socket = ch.socket().toString();
            String chRemote = RealChVmm.chRemote().toString();
            chRemotePing = new String[] {chRemote, "--api-socket", socket, "ping"};
            chRemoteInfo = new String[] {chRemote, "--api-socket", socket, "info"};
            curlPing = new String[] {"curl", "-sf", "--unix-socket", socket, "http://localhost/api/v1/vmm.ping"};
            curlInfo = new String[] {"curl", "-sf", "--unix-socket", socket, "http://localhost/api/v1/vm.info"};
        }

        @TearDown
        public void tearDown() {
            ch.close();
        }

        static int run(String[] command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            int status = p.waitFor();
            if (status != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + status);
            }
            return status;
        }
    }

    /** {@code ch-remote --api-socket S ping}: one process per call. */
    @Benchmark
    public int chRemotePing(ProcessPerCall p) throws Exception {
        return ProcessPerCall.run(p.chRemotePing);
    }

    /** {@code ch-remote --api-socket S info}: one process per call. */
    @Benchmark
    public int chRemoteInfo(ProcessPerCall p) throws Exception {
        return ProcessPerCall.run(p.chRemoteInfo);
    }

    /** {@code curl --unix-socket S .../vmm.ping}: one process per call. */
    @Benchmark
    public int curlPing(ProcessPerCall p) throws Exception {
        return ProcessPerCall.run(p.curlPing);
    }

    /** {@code curl --unix-socket S .../vm.info}: one process per call. */
    @Benchmark
    public int curlInfo(ProcessPerCall p) throws Exception {
        return ProcessPerCall.run(p.curlInfo);
    }
}
