package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.VirtualGhostException;
import dev.virtualghost.ch.model.DeviceConfig;
import dev.virtualghost.ch.model.VmResize;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Status codes and I/O failures become the right {@link ChException}. Error bodies are the shape CH sends: a
 * JSON array of strings, outermost error first, root cause last (cloud-hypervisor
 * {@code vmm/src/api/http/mod.rs} error responses; see the spec README).
 */
class ChErrorMappingTest {

    @TempDir
    Path dir;

    private ChApiException apiError(int code, String body, java.util.function.Consumer<ChClient> call)
            throws Exception {
        try (UnixMockWebServer mock = new UnixMockWebServer(dir);
                ChClient client = mock.client()) {
            MockResponse.Builder r = new MockResponse.Builder().code(code);
            if (body != null) {
                r.body(body);
            }
            mock.server.enqueue(r.build());
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> call.accept(client));
            assertThat(t).isInstanceOf(ChApiException.class).isInstanceOf(VirtualGhostException.class);
            return (ChApiException) t;
        }
    }

    @Test
    void status500CarriesTheWholeErrorChain() throws Exception {
        ChApiException e = apiError(
                500,
                "[\"Error from API\",\"The VM could not boot\","
                        + "\"Error loading kernel: No such file or directory (os error 2)\"]",
                ChClient::boot);
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.endpoint()).isEqualTo("vm.boot");
        assertThat(e.errors())
                .containsExactly(
                        "Error from API",
                        "The VM could not boot",
                        "Error loading kernel: No such file or directory (os error 2)");
        assertThat(e.rootCause()).startsWith("Error loading kernel");
        assertThat(e.getMessage())
                .isEqualTo("PUT /api/v1/vm.boot: 500 Internal Server Error: Error from API: "
                        + "The VM could not boot: Error loading kernel: No such file or directory (os error 2)");
    }

    @Test
    void status400ForABadBody() throws Exception {
        ChApiException e = apiError(
                400,
                "[\"Error from API\",\"Invalid JSON: missing field `payload`\"]",
                c -> c.create(dev.virtualghost.ch.model.VmConfig.builder()
                        .payload(dev.virtualghost.ch.model.PayloadConfig.ofKernel("/k", null))
                        .build()));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("PUT /api/v1/vm.create: 400 Bad Request: Error from API: Invalid JSON");
    }

    @Test
    void status404WithoutBodyHintsAtVmCreate() throws Exception {
        ChApiException e = apiError(404, null, ChClient::info);
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.errors()).isEmpty();
        assertThat(e.getMessage())
                .isEqualTo("GET /api/v1/vm.info: 404 Not Found (has a VM been created with vm.create?)");
    }

    @Test
    void status409ForADuplicateDevice() throws Exception {
        ChApiException e = apiError(
                409,
                "[\"Error from API\",\"The device could not be added to the VM\","
                        + "\"Identifier gpu0 is not unique\"]",
                c -> c.addDevice(DeviceConfig.ofPath("/sys/x/", "gpu0")));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.rootCause()).isEqualTo("Identifier gpu0 is not unique");
    }

    @Test
    void status429FromResize() throws Exception {
        ChApiException e = apiError(
                429, "[\"Error from API\",\"Resize already in progress\"]", c -> c.resize(new VmResize(4, null, null)));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.getMessage()).contains("429 Too Many Requests: Error from API: Resize already in progress");
    }

    @Test
    void aNonJsonErrorBodyIsKeptAsRawText() throws Exception {
        ChApiException e = apiError(500, "something broke\n", ChClient::pause);
        assertThat(e.errors()).containsExactly("something broke");
    }

    @Test
    void badJsonInA200IsAProtocolError() throws Exception {
        try (UnixMockWebServer mock = new UnixMockWebServer(dir);
                ChClient client = mock.client()) {
            mock.server.enqueue(
                    new MockResponse.Builder().code(200).body("{\"version\": [").build());
            mock.server.enqueue(new MockResponse.Builder().code(200).build());
            assertThatThrownBy(client::ping)
                    .isInstanceOf(ChProtocolException.class)
                    .hasMessageStartingWith("GET /api/v1/vmm.ping: unreadable JSON body");
            assertThatThrownBy(client::info)
                    .isInstanceOf(ChProtocolException.class)
                    .hasMessageContaining("expected a JSON body, got none");
        }
    }

    @Test
    void missingSocketSaysToStartCloudHypervisor() {
        Path socket = dir.resolve("nothing.sock");
        try (ChClient client = ChClient.builder().socket(socket).build()) {
            assertThatThrownBy(client::ping)
                    .isInstanceOf(ChConnectionException.class)
                    .hasMessageContaining("is cloud-hypervisor running with --api-socket " + socket + "?");
        }
    }

    @Test
    void socketFileWithNothingListeningIsRefused() throws Exception {
        Path socket = dir.resolve("stale.sock");
        // A socket CH left behind after a crash: bound, then its listener gone.
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        server.setDeleteOnClose(false);
        server.bind(AFUNIXSocketAddress.of(socket));
        server.close();
        assertThat(socket).exists();
        try (ChClient client = ChClient.builder().socket(socket).build()) {
            assertThatThrownBy(client::ping)
                    .isInstanceOf(ChConnectionException.class)
                    .hasMessageContaining("connection refused");
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    @Test
    void serverThatNeverAnswersTimesOutWithinTheDeadline() throws Exception {
        Path socket = dir.resolve("mute.sock");
        CountDownLatch done = new CountDownLatch(1);
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socket))) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept();
                        InputStream in = s.getInputStream()) {
                    done.await(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // The test ends by closing the server.
                }
            });
            t.start();
            long start = System.nanoTime();
            try (ChClient client = ChClient.builder()
                    .socket(socket)
                    .callTimeout(Duration.ofMillis(300))
                    .build()) {
                assertThatThrownBy(client::ping)
                        .isInstanceOf(ChTimeoutException.class)
                        .hasMessageContaining("no answer within PT0.3S");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            done.countDown();
            t.join(5000);
            assertThat(t.isAlive()).isFalse();
        }
    }

    @Test
    void connectTimeoutIsAConnectionErrorNotACallThatMayHaveRun() {
        // The JDK's words for a connect that timed out; OkHttp passes the exception on as it is. (A real full
        // backlog cannot be staged here: junixsocket's connect blocks on it without honouring the timeout.)
        java.net.SocketTimeoutException connect = new java.net.SocketTimeoutException("connect timed out");
        ChException e = dev.virtualghost.ch.internal.Responses.ioFailure(
                "GET", "vmm.ping", dir.resolve("api.sock"), Duration.ofSeconds(10), connect);
        assertThat(e)
                .isInstanceOf(ChConnectionException.class)
                .hasCause(connect)
                .hasMessageContaining("did not accept a connection within the connect timeout")
                .hasMessageContaining("hung or overloaded")
                .hasMessageNotContaining("may still complete");
        java.net.SocketTimeoutException read = new java.net.SocketTimeoutException("timeout");
        assertThat(dev.virtualghost.ch.internal.Responses.ioFailure(
                        "GET", "vmm.ping", dir.resolve("api.sock"), Duration.ofSeconds(10), read))
                .isInstanceOf(ChTimeoutException.class)
                .hasMessageContaining("CH may still complete the call");
    }

    @Test
    void allExceptionsShareTheSealedRoot() {
        assertThat(ChException.class.isSealed()).isTrue();
        assertThat(List.of(ChException.class.getPermittedSubclasses()))
                .extracting(Class::getSimpleName)
                .containsExactlyInAnyOrder(
                        "ChApiException", "ChConnectionException", "ChProtocolException", "ChTimeoutException");
    }
}
