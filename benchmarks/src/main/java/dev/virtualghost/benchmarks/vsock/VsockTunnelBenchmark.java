package dev.virtualghost.benchmarks.vsock;

import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.VsockConnection;
import dev.virtualghost.vsock.VsockTunnel;
import dev.virtualghost.vsock.testing.EchoServer;
import dev.virtualghost.vsock.testing.FakeHybridVsock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
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
  private final byte[] chunk = new byte[1024 * 1024];

  private FakeHybridVsock vsock;
  private EchoServer sink;
  private HybridVsockDialer dialer;
  private VsockTunnel tunnel;

  @Setup
  public void setUp() throws IOException {
    vsock = FakeHybridVsock.start();
    sink = EchoServer.start(EchoServer.Mode.SINK);
    vsock.listen(SINK_PORT, sink.address(), false);
    dialer = HybridVsockDialer.builder().socket(vsock.socket()).deadline(Duration.ofSeconds(10)).build();
    tunnel = VsockTunnel.builder().dialer(dialer).guestPort(SINK_PORT).build();
  }

  @TearDown
  public void tearDown() throws IOException {
    tunnel.close();
    sink.close();
    vsock.close();
  }

  @Benchmark
  public long direct() throws IOException {
    try (VsockConnection c = dialer.dial(SINK_PORT)) {
      return push(c.outputStream(), c.inputStream(), c::shutdownOutput);
    }
  }

  @Benchmark
  public long tunnel() throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tunnel.localPort())) {
      return push(s.getOutputStream(), s.getInputStream(), s::shutdownOutput);
    }
  }

  interface HalfClose {
    void run() throws IOException;
  }

  private long push(OutputStream out, InputStream in, HalfClose eof) throws IOException {
    for (int sent = 0; sent < TOTAL; sent += chunk.length) {
      out.write(chunk);
    }
    out.flush();
    eof.run();
    long got = ByteBuffer.wrap(in.readNBytes(8)).getLong();
    if (got != TOTAL) {
      throw new IOException("sink counted " + got + " bytes, expected " + TOTAL);
    }
    return got;
  }
}
