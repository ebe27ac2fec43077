package dev.virtualghost.benchmarks.vsock;

import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.VsockConnection;
import dev.virtualghost.vsock.VsockTunnel;
import dev.virtualghost.vsock.testing.EchoServer;
import dev.virtualghost.vsock.testing.FakeHybridVsock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * 64 MiB pushed to a guest "sink" (it counts the bytes and answers the count after EOF) through
 * {@link FakeHybridVsock}, which splices like CH's muxer. Both sides end at the same fake and the same sink:
 *
 * <ul>
 *   <li>{@code direct}: the baseline. {@link HybridVsockDialer#dial} (Unix socket, CONNECT/OK), then the bytes are
 *       written straight on that Unix socket: what a program using the dialer itself gets.
 *   <li>{@code tunnel}: the same bytes written to the {@link VsockTunnel}'s loopback TCP port, so they take one
 *       more hop (TCP -> tunnel splice -> the same Unix socket path). This is what {@code ssh -L}-style users get.
 * </ul>
 *
 * Read {@code direct / tunnel} time (= tunnel throughput as a fraction of direct); target at least 0.9.
 * Each op includes the dial (CONNECT/OK) and the 8-byte answer, on both sides.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar VsockTunnelBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VsockTunnelBenchmark {

    static final int SINK_PORT = 9;
    static final int TOTAL = 64 * 1024 * 1024;
    /** Direct, so that neither arm pays the JDK's copy of a heap array into a temporary native buffer. */
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(1024 * 1024);

    private final ByteBuffer answer = ByteBuffer.allocate(8);

    private FakeHybridVsock vsock;
    private EchoServer sink;
    private HybridVsockDialer dialer;
    private VsockTunnel tunnel;
    private VsockTunnel unixTunnel;
    private VsockTunnel copyTunnel;
    private VsockTunnel unixCopyTunnel;
    private Path unixDir;

    @Setup
    public void setUp() throws IOException {
        vsock = FakeHybridVsock.start();
        sink = EchoServer.start(EchoServer.Mode.SINK);
        vsock.listen(SINK_PORT, sink.address(), false);
        dialer = HybridVsockDialer.builder()
                .socket(vsock.socket())
                .deadline(Duration.ofSeconds(10))
                .build();
        tunnel = VsockTunnel.builder().dialer(dialer).guestPort(SINK_PORT).build();
        unixDir = Files.createTempDirectory(
                "vg-bench-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        unixTunnel = VsockTunnel.builder()
                .dialer(dialer)
                .guestPort(SINK_PORT)
                .unix(unixDir.resolve("t.sock"))
                .build();
        copyTunnel = VsockTunnel.builder()
                .dialer(dialer)
                .guestPort(SINK_PORT)
                .zeroCopy(false)
                .build();
        unixCopyTunnel = VsockTunnel.builder()
                .dialer(dialer)
                .guestPort(SINK_PORT)
                .zeroCopy(false)
                .unix(unixDir.resolve("c.sock"))
                .build();
    }

    @TearDown
    public void tearDown() throws IOException {
        tunnel.close();
        unixTunnel.close();
        copyTunnel.close();
        unixCopyTunnel.close();
        Files.deleteIfExists(unixDir);
        sink.close();
        vsock.close();
    }

    @Benchmark
    public long direct() throws IOException {
        try (VsockConnection c = dialer.dial(SINK_PORT)) {
            return push(c.socket().getChannel());
        }
    }

    @Benchmark
    public long tunnel() throws IOException {
        try (SocketChannel s =
                SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), tunnel.localPort()))) {
            return push(s);
        }
    }

    @Benchmark
    public long tunnelUnix() throws IOException {
        try (AFUNIXSocketChannel s = AFUNIXSocketChannel.open((AFUNIXSocketAddress) unixTunnel.localAddress())) {
            return push(s);
        }
    }

    /** {@link #tunnel()} with the JVM copying through direct buffers instead of splice(2). */
    @Benchmark
    public long tunnelCopy() throws IOException {
        try (SocketChannel s =
                SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), copyTunnel.localPort()))) {
            return push(s);
        }
    }

    /** {@link #tunnelUnix()} with the JVM copying through direct buffers instead of splice(2). */
    @Benchmark
    public long tunnelUnixCopy() throws IOException {
        try (AFUNIXSocketChannel s = AFUNIXSocketChannel.open((AFUNIXSocketAddress) unixCopyTunnel.localAddress())) {
            return push(s);
        }
    }

    /** Writes {@link #TOTAL} bytes, half-closes, reads the sink's 8-byte count. */
    private long push(SocketChannel ch) throws IOException {
        for (int sent = 0; sent < TOTAL; sent += chunk.capacity()) {
            chunk.clear();
            while (chunk.hasRemaining()) {
                ch.write(chunk);
            }
        }
        ch.shutdownOutput();
        answer.clear();
        while (answer.hasRemaining()) {
            if (ch.read(answer) < 0) {
                throw new IOException("sink closed before its count");
            }
        }
        long got = answer.flip().getLong();
        if (got != TOTAL) {
            throw new IOException("sink counted " + got + " bytes, expected " + TOTAL);
        }
        return got;
    }
}
