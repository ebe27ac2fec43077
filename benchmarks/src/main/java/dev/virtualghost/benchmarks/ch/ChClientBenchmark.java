package dev.virtualghost.benchmarks.ch;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChJson;
import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.model.VmInfo;
import dev.virtualghost.ch.model.VmmPingResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A warm {@link ChClient#ping()} and {@link ChClient#info()} against the floor: pre-built HTTP/1.1 request bytes
 * written to an already-connected junixsocket socket and the answer read by {@code Content-Length}, both against
 * the same server in the same run: {@link MiniChApiServer} in two shapes, or the REAL {@code cloud-hypervisor}
 * ({@link #server} {@code real-ch}, with a created VM). Read the ratio {@code client / raw} per server; the target
 * is at most 1.2. Against the real VMM, {@link ChClientProcessPerCallBenchmark} (same run: select both with
 * {@code ChClient}) measures what shell users do: one {@code ch-remote} or {@code curl --unix-socket} process per
 * call (target: the client at least 20x faster than {@code ch-remote}).
 *
 * <p>The client side also decodes the JSON into records (that is its job); the raw side only reads the bytes.
 * {@code decode*Only} measure that decoding alone, so the HTTP part of the client is {@code client - decode}.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ChClient -f 1 -wi 3 -i 5} from the repository
 * root (the real VMM comes from {@code VIRTUALGHOST_CH_BINARY} or {@code ../shared/ch}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChClientBenchmark {

    private static final byte[] RAW_PING =
            ("GET /api/v1/vmm.ping HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RAW_INFO =
            ("GET /api/v1/vm.info HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private static final byte[] PING_JSON = MiniChApiServer.PING_BODY.getBytes(StandardCharsets.UTF_8);
    private static final byte[] INFO_JSON = MiniChApiServer.INFO_BODY.getBytes(StandardCharsets.UTF_8);

    /**
     * {@code minimal}: the connection's thread answers at once (the floor of any HTTP exchange).
     * {@code vmm-thread}: the answer comes from a second thread, as in CH's own server, where the HTTP thread
     * hands each request to the VMM thread (vmm/src/api/mod.rs). {@code real-ch}: the real VMM.
     */
    @Param({"minimal", "vmm-thread", "real-ch"})
    public String server;

    private Path dir;
    private MiniChApiServer mini;
    private ChProcess realCh;
    private ChClient client;
    private AFUNIXSocket raw;
    private InputStream rawIn;
    private OutputStream rawOut;
    private final byte[] buffer = new byte[64 * 1024];

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(
                "vg-bench-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socket;
        if ("real-ch".equals(server)) {
            realCh = RealChVmm.start();
            socket = realCh.socket();
        } else {
            socket = dir.resolve("api.sock");
            mini = new MiniChApiServer(socket, "vmm-thread".equals(server));
        }
        client = ChClient.builder()
                .socket(socket)
                .callTimeout(Duration.ofSeconds(5))
                .build();
        raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket));
        rawIn = raw.getInputStream();
        rawOut = raw.getOutputStream();
        // Warm both paths once so the first measured call is not a connect.
        client.ping();
        rawExchange(RAW_PING);
    }

    @TearDown
    public void tearDown() throws IOException {
        client.close();
        raw.close();
        if (mini != null) {
            mini.close();
        }
        if (realCh != null) {
            realCh.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public VmmPingResponse clientPing() {
        return client.ping();
    }

    @Benchmark
    public VmInfo clientInfo() {
        return client.info();
    }

    @Benchmark
    public int rawPing() throws IOException {
        return rawExchange(RAW_PING);
    }

    @Benchmark
    public int rawInfo() throws IOException {
        return rawExchange(RAW_INFO);
    }

    /** Only the JSON decoding part of {@link #clientInfo()}, to split the client's cost into HTTP and JSON. */
    @Benchmark
    public VmInfo decodeInfoOnly() throws IOException {
        return ChJson.fromJson(INFO_JSON, VmInfo.class);
    }

    /** Only the JSON decoding part of {@link #clientPing()}. */
    @Benchmark
    public VmmPingResponse decodePingOnly() throws IOException {
        return ChJson.fromJson(PING_JSON, VmmPingResponse.class);
    }

    /** Writes the request, reads the head up to CRLFCRLF, then exactly Content-Length body bytes. */
    private int rawExchange(byte[] request) throws IOException {
        rawOut.write(request);
        rawOut.flush();
        int filled = 0;
        int headEnd = -1;
        while (headEnd < 0) {
            int n = rawIn.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new IOException("server closed the connection");
            }
            int from = Math.max(0, filled - 3);
            filled += n;
            for (int i = from; i + 3 < filled; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    headEnd = i + 4;
                    break;
                }
            }
        }
        int contentLength = contentLength(headEnd);
        int need = headEnd + contentLength;
        while (filled < need) {
            int n = rawIn.read(buffer, filled, need - filled);
            if (n < 0) {
                throw new IOException("server closed the connection");
            }
            filled += n;
        }
        return need;
    }

    private int contentLength(int headEnd) {
        String head = new String(buffer, 0, headEnd, StandardCharsets.US_ASCII);
        int i = head.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
        int end = head.indexOf('\r', i);
        return Integer.parseInt(head.substring(i + 15, end).trim());
    }
}
