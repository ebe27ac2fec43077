package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** {@link ChClient#close()} closes the kept-alive connection, which the server sees as end of stream. */
class ChClientCloseTest {

    @TempDir
    Path dir;

    @Test
    void closeClosesTheKeptAliveConnection() throws Exception {
        Path socket = dir.resolve("api.sock");
        byte[] body = "{\"version\":\"53.0.0\"}".getBytes(StandardCharsets.UTF_8);
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socket))) {
            CompletableFuture<Integer> afterAnswer = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(5000);
                    InputStream in = s.getInputStream();
                    int matched = 0;
                    while (matched < 4) {
                        int b = in.read();
                        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    // Keep-alive: the connection stays open until the client closes it.
                    return in.read();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ChClient client = ChClient.builder().socket(socket).build();
            assertThat(client.ping().version()).isEqualTo("53.0.0");
            assertThat(afterAnswer).as("connection kept alive after the answer").isNotDone();
            client.close();
            assertThat(afterAnswer.get(5, TimeUnit.SECONDS))
                    .as("server reads end of stream")
                    .isEqualTo(-1);
        }
    }
}
