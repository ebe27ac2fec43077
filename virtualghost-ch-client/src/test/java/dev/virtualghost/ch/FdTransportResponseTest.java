package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.model.DeviceConfig;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The hand-written HTTP reader of the descriptor-passing calls treats a malformed answer as a protocol error, as
 * OkHttp does for the other calls: a bad status line or a bad, negative or absurd {@code Content-Length} is a
 * {@link ChProtocolException}, never a {@link NumberFormatException}, a connection error or a huge allocation.
 */
class FdTransportResponseTest {

    @TempDir
    Path dir;

    /** Reads the request head (its body is tiny and arrives with it), then answers {@code raw} and closes. */
    private static CompletableFuture<Void> answerOnce(AFUNIXServerSocket server, String raw) {
        return CompletableFuture.runAsync(() -> {
            try (AFUNIXSocket s = (AFUNIXSocket) server.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                StringBuilder seen = new StringBuilder();
                while (!seen.toString().contains("\r\n\r\n")) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
                OutputStream out = s.getOutputStream();
                out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Throwable callWithAnswer(String raw) throws Exception {
        Path socket = dir.resolve("api.sock");
        Path file = dir.resolve("fd-source");
        Files.writeString(file, "x");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socket));
                ChClient client = ChClient.builder().socket(socket).build();
                FileInputStream fd = new FileInputStream(file.toFile())) {
            CompletableFuture<Void> served = answerOnce(server, raw);
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() ->
                    client.addDevice(DeviceConfig.ofPath("/sys/bus/pci/devices/0000:01:00.0/", "gpu0"), fd.getFD()));
            served.get(5, TimeUnit.SECONDS);
            return t;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "99999999999999999999", "1e3", "+5"})
    void badContentLengthIsAProtocolError(String length) throws Exception {
        Throwable t = callWithAnswer("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n{}");
        assertThat(t)
                .isInstanceOf(ChProtocolException.class)
                .hasMessageContaining("PUT /api/v1/vm.add-device")
                .hasMessageContaining("malformed")
                .hasMessageContaining("is this a cloud-hypervisor API socket?");
    }

    @Test
    void hugeContentLengthIsRefusedBeforeAllocating() throws Exception {
        Throwable t = callWithAnswer("HTTP/1.1 200 OK\r\nContent-Length: 2000000000\r\n\r\n{}");
        assertThat(t)
                .isInstanceOf(ChProtocolException.class)
                .hasMessageContaining("Content-Length 2000000000 exceeds the 16777216-byte limit");
    }

    @Test
    void conflictingContentLengthsAreAProtocolError() throws Exception {
        Throwable t = callWithAnswer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
        assertThat(t).isInstanceOf(ChProtocolException.class).hasMessageContaining("conflicting Content-Length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SSH-2.0-OpenSSH_9.6", "HTTP/1.1 OK", "HTTP/1.1 2000 OK", "HTTP/2 200"})
    void malformedStatusLineIsAProtocolError(String statusLine) throws Exception {
        Throwable t = callWithAnswer(statusLine + "\r\nContent-Length: 0\r\n\r\n");
        assertThat(t).isInstanceOf(ChProtocolException.class).hasMessageContaining("malformed status line");
    }

    @Test
    void wellFormedAnswerStillParses() throws Exception {
        String body = "{\"id\":\"gpu0\",\"bdf\":\"0000:00:05.0\"}";
        Throwable t = callWithAnswer("HTTP/1.1 200 OK\r\ncontent-length: " + body.length() + "\r\n\r\n" + body);
        assertThat(t).isNull();
    }
}
