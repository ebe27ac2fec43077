package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.ch.model.NetConfig;
import dev.virtualghost.ch.model.PciDeviceInfo;
import dev.virtualghost.ch.model.RestoreConfig;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The descriptor-passing overloads deliver usable descriptors as SCM_RIGHTS ancillary data with the HTTP request,
 * as CH's API server expects for {@code vm.add-net} and friends (CH collects the fds received on the request's
 * connection; see the spec README). The server here is a real Unix socket that reads the descriptor's file.
 */
class ChClientFdTest {

    @TempDir
    Path dir;

    /** What the server saw: request head and body, and the text read through each received descriptor. */
    record Seen(String head, String body, List<String> fileContents) {}

    private CompletableFuture<Seen> serveOnce(AFUNIXServerSocket server, String status, String body) {
        return CompletableFuture.supplyAsync(() -> {
            try (AFUNIXSocket s = (AFUNIXSocket) server.accept()) {
                s.setAncillaryReceiveBufferSize(1024);
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                List<FileDescriptor> fds = new ArrayList<>();
                byte[] buf = new byte[8192];
                int headEnd = -1;
                int length = -1;
                while (length < 0 || all.size() < headEnd + 4 + length) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    all.write(buf, 0, n);
                    FileDescriptor[] got = s.getReceivedFileDescriptors();
                    if (got != null) {
                        fds.addAll(List.of(got));
                    }
                    String text = all.toString(StandardCharsets.ISO_8859_1);
                    headEnd = text.indexOf("\r\n\r\n");
                    if (headEnd >= 0 && length < 0) {
                        String cl = text.substring(0, headEnd)
                                .lines()
                                .filter(l -> l.toLowerCase().startsWith("content-length:"))
                                .findFirst()
                                .orElseThrow();
                        length = Integer.parseInt(
                                cl.substring(cl.indexOf(':') + 1).trim());
                    }
                }
                String text = all.toString(StandardCharsets.UTF_8);
                List<String> contents = new ArrayList<>();
                for (FileDescriptor fd : fds) {
                    try (FileInputStream f = new FileInputStream(fd)) {
                        contents.add(new String(f.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
                byte[] answer = body.getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
                                + answer.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(answer);
                out.flush();
                return new Seen(text.substring(0, headEnd), text.substring(headEnd + 4), contents);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void addNetPassesAUsableDescriptorWithTheRequest() throws Exception {
        Path socket = dir.resolve("api.sock");
        Path tap = dir.resolve("tap-standin");
        Files.writeString(tap, "read through the passed fd");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socket));
                ChClient client = ChClient.builder().socket(socket).build();
                FileInputStream file = new FileInputStream(tap.toFile())) {
            CompletableFuture<Seen> seen = serveOnce(server, "200 OK", "{\"id\":\"net0\",\"bdf\":\"0000:00:06.0\"}");
            NetConfig net = new NetConfig(
                    null, null, null, null, null, null, null, null, null, null, null, null, "net0", null, null, null,
                    null, null, null);
            PciDeviceInfo info = client.addNet(net, file.getFD());
            assertThat(info).isEqualTo(new PciDeviceInfo("net0", "0000:00:06.0"));
            Seen s = seen.get(5, TimeUnit.SECONDS);
            assertThat(s.head())
                    .startsWith("PUT /api/v1/vm.add-net HTTP/1.1\r\n")
                    .contains("\r\nContent-Type: application/json\r\n");
            assertThat(s.body()).isEqualTo("{\"id\":\"net0\"}");
            assertThat(s.fileContents()).containsExactly("read through the passed fd");
        }
    }

    @Test
    void restoreWithDescriptorsMapsErrorsLikeAnyCall() throws Exception {
        Path socket = dir.resolve("api.sock");
        Path mem = dir.resolve("memory");
        Files.writeString(mem, "x");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socket));
                ChClient client = ChClient.builder().socket(socket).build();
                FileInputStream file = new FileInputStream(mem.toFile())) {
            CompletableFuture<Seen> seen = serveOnce(
                    server,
                    "500 Internal Server Error",
                    "[\"Error from API\",\"The VM could not be restored\",\"Missing snapshot\"]");
            RestoreConfig restore = new RestoreConfig("file:///nowhere", null, null, null, null);
            assertThatThrownBy(() -> client.restore(restore, file.getFD()))
                    .isInstanceOf(ChApiException.class)
                    .hasMessage("PUT /api/v1/vm.restore: 500 Internal Server Error: Error from API: "
                            + "The VM could not be restored: Missing snapshot");
            assertThat(seen.get(5, TimeUnit.SECONDS).fileContents()).containsExactly("x");
        }
    }

    @Test
    void noDescriptorsIsMisuse() {
        try (ChClient client =
                ChClient.builder().socket(dir.resolve("none.sock")).build()) {
            assertThatThrownBy(() -> client.addDevice(
                            dev.virtualghost.ch.model.DeviceConfig.ofPath("/x/", null), new FileDescriptor[0]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
