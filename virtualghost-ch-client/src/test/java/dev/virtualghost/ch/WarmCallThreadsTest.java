package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A warm call wakes no helper thread of the client: not OkHttp's pool coordinator, not okio's timeout watchdog,
 * not our own deadline or pool threads. Each such wake is a context switch per call, which is most of what a warm
 * {@code vmm.ping} costs above a raw HTTP exchange on a 2-core host (see {@code docs/benchmarks.md}). Counts the
 * kernel's per-thread context switches ({@code /proc/self/task/<tid>/status}) across 2,000 calls; also fails if
 * an OkHttp upgrade changes the internals {@code PollingTaskRunnerBackend} relies on.
 */
class WarmCallThreadsTest {

    private static final int CALLS = 2000;

    @TempDir
    Path dir;

    @Test
    void warmCallsWakeNoHelperThread() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc/self/task to count switches");
        Path socket = dir.resolve("api.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socket))) {
            Thread serving = new Thread(() -> serve(server), "test-ch-server");
            serving.setDaemon(true);
            serving.start();
            try (ChClient client = ChClient.builder()
                    .socket(socket)
                    .callTimeout(Duration.ofSeconds(5))
                    .build()) {
                for (int i = 0; i < 200; i++) {
                    client.ping(); // warm: connection pooled, helper threads started and settled
                }
                Map<String, Long> before = switchesByThreadName();
                for (int i = 0; i < CALLS; i++) {
                    assertThat(client.ping().version()).isEqualTo("53.0.0");
                }
                Map<String, Long> after = switchesByThreadName();
                long helperSwitches = 0;
                StringBuilder detail = new StringBuilder();
                for (Map.Entry<String, Long> e : after.entrySet()) {
                    String name = e.getKey();
                    if (name.startsWith("OkHttp") || name.startsWith("Okio") || name.startsWith("virtualghost-ch")) {
                        long d = e.getValue() - before.getOrDefault(name, 0L);
                        helperSwitches += d;
                        detail.append(name).append('=').append(d).append(' ');
                    }
                }
                // A 10 ms deadline tick and a 1 s pool poll allow a few hundred wakes in the worst case over this
                // loop; one wake per call would be 2,000 or more.
                assertThat(helperSwitches)
                        .as("helper thread switches over %d calls: %s", CALLS, detail)
                        .isLessThan(CALLS / 4);
            }
        }
    }

    /** Sums voluntary and involuntary context switches per thread name ({@code comm} is cut to 15 chars). */
    private static Map<String, Long> switchesByThreadName() throws IOException {
        Map<String, Long> byName = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    long sum = 0;
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.contains("ctxt_switches")) {
                            sum += Long.parseLong(
                                    line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    byName.merge(name, sum, Long::sum);
                } catch (IOException threadEnded) {
                    // A thread that ended between listing and reading has nothing left to count.
                }
            }
        }
        return byName;
    }

    private static void serve(AFUNIXServerSocket server) {
        byte[] body = "{\"build_version\":\"v53.0\",\"version\":\"53.0.0\"}".getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int matched = 0;
            int b;
            while ((b = in.read()) >= 0) {
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    out.write(head);
                    out.write(body);
                    out.flush();
                    matched = 0;
                }
            }
        } catch (IOException serverClosed) {
            // the test is over
        }
    }
}
