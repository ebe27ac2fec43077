package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.virtualghost.ch.model.DeviceConfig;
import dev.virtualghost.ch.model.PciDeviceInfo;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Both transports (OkHttp for ordinary calls, the descriptor-passing one for calls with fds) against a server on
 * a real Unix socket that misbehaves as a broken or foreign peer would: huge, endless, chunked, EOF-delimited or
 * cut answers. Each ends in the same {@link ChException} on both, without a huge allocation or message.
 */
class MisbehavingServerTest {

    @TempDir
    Path dir;

    /** Writes the raw answer after the request head; may throw when the client hangs up (that is fine). */
    @FunctionalInterface
    interface Answer {
        void write(OutputStream out) throws IOException;
    }

    /** The two ways a call goes out. */
    enum Via {
        OKHTTP,
        FD
    }

    private static final DeviceConfig GPU = DeviceConfig.ofPath("/sys/bus/pci/devices/0000:01:00.0/", "gpu0");

    private static CompletableFuture<Void> serveOnce(AFUNIXServerSocket server, Answer answer) {
        return CompletableFuture.runAsync(() -> {
            try (AFUNIXSocket s = (AFUNIXSocket) server.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                StringBuilder seen = new StringBuilder();
                while (!seen.toString().contains("\r\n\r\n")) {
                    int n = in.read(buf);
                    if (n < 0) {
                        return;
                    }
                    seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
                OutputStream out = s.getOutputStream();
                answer.write(out);
                out.flush();
            } catch (IOException e) {
                // The client hung up on an answer it refused: expected for the huge and endless ones.
            }
        });
    }

    /** Makes one {@code vm.add-device} call via {@code via} against {@code answer}; returns its result or failure. */
    private Object call(Via via, Answer answer) throws Exception {
        Path socket = dir.resolve("api.sock");
        Path file = dir.resolve("fd-source");
        Files.writeString(file, "x");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socket));
                ChClient client = ChClient.builder()
                        .socket(socket)
                        .callTimeout(Duration.ofSeconds(20))
                        .build();
                FileInputStream fd = new FileInputStream(file.toFile())) {
            CompletableFuture<Void> served = serveOnce(server, answer);
            Object[] result = new Object[1];
            Throwable t = catchThrowable(
                    () -> result[0] = via == Via.FD ? client.addDevice(GPU, fd.getFD()) : client.addDevice(GPU));
            served.get(20, TimeUnit.SECONDS);
            return t != null ? t : result[0];
        }
    }

    private static Answer head(String head, Answer body) {
        return out -> {
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            body.write(out);
        };
    }

    private static Answer endless(byte[] chunk) {
        return out -> {
            while (true) {
                out.write(chunk);
            }
        };
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void hugeAnnouncedBodyIsAProtocolErrorBeforeAllocating(Via via) throws Exception {
        Object r = call(
                via,
                head("HTTP/1.1 200 \r\nContent-Length: 1000000000\r\n\r\n", out -> out.write(filled(1 << 20, ' '))));
        assertThat(r).isInstanceOf(ChProtocolException.class).asString().contains("16777216-byte limit");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void endlessEofDelimitedBodyIsAProtocolErrorNotAnOutOfMemoryError(Via via) throws Exception {
        Object r = call(via, head("HTTP/1.1 200 \r\nConnection: close\r\n\r\n", endless(filled(65536, ' '))));
        assertThat(r).isInstanceOf(ChProtocolException.class).asString().contains("16777216-byte limit");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void endlessChunkedBodyIsAProtocolError(Via via) throws Exception {
        byte[] chunk = ("10000\r\n" + " ".repeat(65536) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        Object r = call(via, head("HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n", endless(chunk)));
        assertThat(r).isInstanceOf(ChProtocolException.class);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void twentyMegabyteErrorChainIsAProtocolErrorWithAShortMessage(Via via) throws Exception {
        int n = 20_000_000;
        Object r = call(via, head("HTTP/1.1 500 \r\nContent-Length: " + (n + 4) + "\r\n\r\n[\"", out -> {
            out.write(filled(n, 'x'));
            out.write("\"]".getBytes(StandardCharsets.US_ASCII));
        }));
        assertThat(r).isInstanceOf(ChProtocolException.class).asString().contains("1048576-byte limit");
        assertThat(((Throwable) r).getMessage()).hasSizeLessThan(1000);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void largeErrorChainWithinTheCapKeepsEveryErrorButCapsTheMessage(Via via) throws Exception {
        String big = "y".repeat(500_000);
        String body = "[\"Error from API\",\"" + big + "\"]";
        Object r = call(via, head("HTTP/1.1 500 \r\nContent-Length: " + body.length() + "\r\n\r\n" + body, out -> {}));
        assertThat(r).isInstanceOf(ChApiException.class);
        ChApiException e = (ChApiException) r;
        assertThat(e.errors()).containsExactly("Error from API", big);
        assertThat(e.getMessage()).hasSizeLessThan(9000).contains("Error from API", "more characters)");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void bodyCutMidwayIsAConnectionErrorOnBothTransports(Via via) throws Exception {
        Object r = call(via, head("HTTP/1.1 200 \r\nContent-Length: 100\r\n\r\n{\"id\":", out -> {}));
        assertThat(r)
                .isInstanceOf(ChConnectionException.class)
                .asString()
                .contains("connection closed before a complete answer");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void eofDelimitedAnswerIsParsedNotTakenForSuccessWithoutABody(Via via) throws Exception {
        String body = "{\"id\":\"gpu0\",\"bdf\":\"0000:00:05.0\"}";
        Object r = call(via, head("HTTP/1.1 200 \r\nConnection: close\r\n\r\n" + body, out -> {}));
        assertThat(r).isEqualTo(new PciDeviceInfo("gpu0", "0000:00:05.0"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void smallChunkedAnswerIsParsedByOkHttpAndRefusedByTheFdTransportNeverNull(Via via) throws Exception {
        String body = "{\"id\":\"gpu0\",\"bdf\":\"0000:00:05.0\"}";
        String chunked = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
        Object r = call(via, head("HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n" + chunked, out -> {}));
        if (via == Via.OKHTTP) {
            assertThat(r).isEqualTo(new PciDeviceInfo("gpu0", "0000:00:05.0"));
        } else {
            assertThat(r).isInstanceOf(ChProtocolException.class).asString().contains("chunked");
        }
    }
}
