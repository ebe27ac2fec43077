package dev.virtualghost.benchmarks.ch;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The same comparison as {@link ChClientBenchmark} ({@code real-ch}) and {@link ChClientProcessPerCallBenchmark},
 * made robust to a loaded host: against one real {@code cloud-hypervisor}, each round makes one call of every kind
 * back to back (warm {@code ChClient} call, raw HTTP exchange on its own connection to the same socket, and every
 * {@code procEvery}-th round one {@code ch-remote} and one {@code curl} process), so a burst of load from elsewhere
 * hits all of them alike; it prints the median of each and the ratios. Whole-process harness, run with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.virtualghost.benchmarks.ch.ChClientInterleavedHarness
 * [rounds] [procEvery]} from the repository root.
 */
public final class ChClientInterleavedHarness {

    private static final byte[] RAW_PING =
            "GET /api/v1/vmm.ping HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RAW_INFO =
            "GET /api/v1/vm.info HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private ChClientInterleavedHarness() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int procEvery = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        try (ChProcess ch = RealChVmm.start();
                ChClient client = ChClient.builder().socket(ch.socket()).build();
                AFUNIXSocket raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(ch.socket()))) {
            String socket = ch.socket().toString();
            String chRemote = RealChVmm.chRemote().toString();
            InputStream in = raw.getInputStream();
            OutputStream out = raw.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int i = 0; i < 2000; i++) { // warm-up: JIT and pooled connections
                client.ping();
                client.info();
                exchange(out, in, RAW_PING, buf);
                exchange(out, in, RAW_INFO, buf);
            }
            long[] cPing = new long[rounds];
            long[] rPing = new long[rounds];
            long[] cInfo = new long[rounds];
            long[] rInfo = new long[rounds];
            int procs = rounds / procEvery;
            long[] remotePing = new long[procs];
            long[] remoteInfo = new long[procs];
            long[] curlPing = new long[procs];
            long[] curlInfo = new long[procs];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                client.ping();
                long t1 = System.nanoTime();
                exchange(out, in, RAW_PING, buf);
                long t2 = System.nanoTime();
                client.info();
                long t3 = System.nanoTime();
                exchange(out, in, RAW_INFO, buf);
                long t4 = System.nanoTime();
                cPing[i] = t1 - t0;
                rPing[i] = t2 - t1;
                cInfo[i] = t3 - t2;
                rInfo[i] = t4 - t3;
                if (i % procEvery == 0 && i / procEvery < procs) {
                    int k = i / procEvery;
                    remotePing[k] = run(chRemote, "--api-socket", socket, "ping");
                    remoteInfo[k] = run(chRemote, "--api-socket", socket, "info");
                    curlPing[k] = run("curl", "-sf", "--unix-socket", socket, "http://localhost/api/v1/vmm.ping");
                    curlInfo[k] = run("curl", "-sf", "--unix-socket", socket, "http://localhost/api/v1/vm.info");
                }
            }
            double cp = median(cPing);
            double rp = median(rPing);
            double ci = median(cInfo);
            double ri = median(rInfo);
            System.out.printf(Locale.ROOT, "rounds %d, process calls %d each; medians in us%n", rounds, procs);
            System.out.printf(
                    Locale.ROOT,
                    "ping: client %.1f, raw %.1f, ch-remote %.1f, curl %.1f%n",
                    cp,
                    rp,
                    median(remotePing),
                    median(curlPing));
            System.out.printf(
                    Locale.ROOT,
                    "info: client %.1f, raw %.1f, ch-remote %.1f, curl %.1f%n",
                    ci,
                    ri,
                    median(remoteInfo),
                    median(curlInfo));
            System.out.printf(Locale.ROOT, "client/raw: ping %.2fx, info %.2fx%n", cp / rp, ci / ri);
            System.out.printf(
                    Locale.ROOT,
                    "ch-remote/client: ping %.0fx, info %.0fx; curl/client: ping %.0fx, info" + " %.0fx%n",
                    median(remotePing) / cp,
                    median(remoteInfo) / ci,
                    median(curlPing) / cp,
                    median(curlInfo) / ci);
        }
    }

    private static double median(long[] nanos) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1000.0;
    }

    private static long run(String... command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue());
        }
        return System.nanoTime() - t0;
    }

    /** Writes the request, reads the head, then exactly Content-Length body bytes. */
    private static void exchange(OutputStream out, InputStream in, byte[] request, byte[] buf) throws IOException {
        out.write(request);
        out.flush();
        int filled = 0;
        int headEnd = -1;
        int need = Integer.MAX_VALUE;
        while (filled < need) {
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) {
                throw new IOException("server closed the connection");
            }
            filled += n;
            if (headEnd < 0) {
                for (int i = Math.max(0, filled - n - 3); i + 3 < filled; i++) {
                    if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                        headEnd = i + 4;
                        break;
                    }
                }
                if (headEnd >= 0) {
                    String head = new String(buf, 0, headEnd, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                    int c = head.indexOf("content-length:");
                    need = headEnd
                            + Integer.parseInt(head.substring(c + 15, head.indexOf('\r', c))
                                    .trim());
                }
            }
        }
    }
}
