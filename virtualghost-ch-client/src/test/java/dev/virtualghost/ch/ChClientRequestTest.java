package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.model.CpusConfig;
import dev.virtualghost.ch.model.DeviceConfig;
import dev.virtualghost.ch.model.MemoryConfig;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.PciDeviceInfo;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmCounters;
import dev.virtualghost.ch.model.VmInfo;
import dev.virtualghost.ch.model.VmResize;
import dev.virtualghost.ch.model.VmState;
import dev.virtualghost.ch.model.VmmPingResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What goes over the wire for each kind of call, against a real HTTP server on a Unix socket. */
class ChClientRequestTest {

    @TempDir
    Path dir;

    UnixMockWebServer mock;
    ChClient client;

    @BeforeEach
    void start() throws Exception {
        mock = new UnixMockWebServer(dir);
        client = mock.client();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        mock.close();
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = mock.server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("request reached the server").isNotNull();
        return r;
    }

    @Test
    void pingIsAGetAndParsesTheVersion() throws Exception {
        mock.server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"build_version\":\"v53.0\",\"version\":\"53.0.0\",\"pid\":4242,"
                        + "\"features\":[\"kvm\",\"io_uring\"],\"new_field\":1}")
                .build());
        VmmPingResponse ping = client.ping();
        assertThat(ping.version()).isEqualTo("53.0.0");
        assertThat(ping.buildVersion()).isEqualTo("v53.0");
        assertThat(ping.pid()).isEqualTo(4242L);
        assertThat(ping.features()).containsExactly("kvm", "io_uring");
        RecordedRequest r = take();
        assertThat(r.getRequestLine()).isEqualTo("GET /api/v1/vmm.ping HTTP/1.1");
        assertThat(r.getBodySize()).isZero();
    }

    @Test
    void createSendsExactJsonContentTypeAndBodyBytes() throws Exception {
        mock.server.enqueue(new MockResponse.Builder().code(204).build());
        VmConfig config = VmConfig.builder()
                .payload(PayloadConfig.ofKernel("/k", "console=hvc0"))
                .cpus(CpusConfig.of(2))
                .memory(MemoryConfig.ofSize(1L << 30))
                .devices(List.of(DeviceConfig.ofPath("/sys/bus/pci/devices/0000:01:00.0/", "gpu0")))
                .build();
        client.create(config);
        RecordedRequest r = take();
        assertThat(r.getRequestLine()).isEqualTo("PUT /api/v1/vm.create HTTP/1.1");
        // CH answers 400 to "application/json; charset=utf-8": the header must be exactly this.
        assertThat(r.getHeaders().values("Content-Type")).containsExactly("application/json");
        assertThat(r.getBody().utf8())
                .isEqualTo("{\"cpus\":{\"boot_vcpus\":2,\"max_vcpus\":2},"
                        + "\"memory\":{\"size\":1073741824},\"payload\":{\"kernel\":\"/k\",\"cmdline\":\"console=hvc0\"},"
                        + "\"devices\":[{\"path\":\"/sys/bus/pci/devices/0000:01:00.0/\",\"id\":\"gpu0\"}]}");
        assertThat(r.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(r.getBodySize()));
    }

    @Test
    void bodylessPutSendsContentLengthZeroAndNoBody() throws Exception {
        mock.server.enqueue(new MockResponse.Builder().code(204).build());
        client.boot();
        RecordedRequest r = take();
        assertThat(r.getRequestLine()).isEqualTo("PUT /api/v1/vm.boot HTTP/1.1");
        assertThat(r.getHeaders().get("Content-Length")).isEqualTo("0");
        assertThat(r.getBodySize()).isZero();
    }

    @Test
    void callsReuseOneKeptAliveConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            mock.server.enqueue(new MockResponse.Builder().code(204).build());
        }
        client.pause();
        client.resume();
        client.resize(new VmResize(4, null, null));
        assertThat(take().getConnectionIndex()).isZero();
        assertThat(take().getConnectionIndex()).isZero();
        RecordedRequest resize = take();
        assertThat(resize.getConnectionIndex()).isZero();
        assertThat(resize.getBody().utf8()).isEqualTo("{\"desired_vcpus\":4}");
    }

    @Test
    void addDeviceParsesPciInfoAndToleratesA204() throws Exception {
        mock.server.enqueue(new MockResponse.Builder()
                .code(200)
                .body("{\"id\":\"gpu0\",\"bdf\":\"0000:00:05.0\"}")
                .build());
        mock.server.enqueue(new MockResponse.Builder().code(204).build());
        PciDeviceInfo info = client.addDevice(DeviceConfig.ofPath("/sys/bus/pci/devices/0000:01:00.0/", "gpu0"));
        assertThat(info).isEqualTo(new PciDeviceInfo("gpu0", "0000:00:05.0"));
        assertThat(client.addDevice(DeviceConfig.ofPath("/sys/x/", null))).isNull();
        assertThat(take().getRequestLine()).isEqualTo("PUT /api/v1/vm.add-device HTTP/1.1");
    }

    @Test
    void a200WhereA204IsExpectedIsAccepted() throws Exception {
        mock.server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        client.shutdown();
        assertThat(take().getRequestLine()).isEqualTo("PUT /api/v1/vm.shutdown HTTP/1.1");
    }

    @Test
    void infoAndCountersParse() throws Exception {
        mock.server.enqueue(new MockResponse.Builder()
                .code(200)
                .body(
                        "{\"config\":{\"payload\":{\"kernel\":\"/k\"}},"
                                + "\"state\":\"Running\",\"memory_actual_size\":1073741824,"
                                + "\"device_tree\":{\"_disk0\":{\"id\":\"_disk0\",\"children\":[],\"pci_bdf\":\"0000:00:02.0\"}}}")
                .build());
        mock.server.enqueue(new MockResponse.Builder()
                .code(200)
                .body("{\"_disk0\":{\"read_bytes\":4096,\"write_ops\":3}}")
                .build());
        VmInfo info = client.info();
        assertThat(info.state()).isEqualTo(VmState.RUNNING);
        assertThat(info.config().payload().kernel()).isEqualTo("/k");
        assertThat(info.deviceTree().get("_disk0").pciBdf()).isEqualTo("0000:00:02.0");
        VmCounters counters = client.counters();
        assertThat(counters.counter("_disk0", "read_bytes")).hasValue(4096);
        assertThat(counters.counter("_disk0", "missing")).isEmpty();
        assertThat(take().getRequestLine()).isEqualTo("GET /api/v1/vm.info HTTP/1.1");
        assertThat(take().getRequestLine()).isEqualTo("GET /api/v1/vm.counters HTTP/1.1");
    }

    @Test
    void infoIfCreatedIsEmptyOnlyForChsVmIsNotCreatedAnswer() throws Exception {
        mock.server.enqueue(new MockResponse.Builder()
                .code(404)
                .body("[\"Error from API\",\"The VM info is not available\",\"VM is not created\"]")
                .build());
        mock.server.enqueue(
                new MockResponse.Builder().code(404).body("[\"Not Found\"]").build());
        mock.server.enqueue(new MockResponse.Builder()
                .code(200)
                .body("{\"config\":{},\"state\":\"Paused\"}")
                .build());
        assertThat(client.infoIfCreated()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(client::infoIfCreated)
                .isInstanceOf(ChApiException.class)
                .hasMessageContaining("Not Found");
        assertThat(client.infoIfCreated())
                .hasValueSatisfying(i -> assertThat(i.state()).isEqualTo(VmState.PAUSED));
    }

    @Test
    void longCallsGetTheLongTimeoutAndOverridesWin() {
        try (ChClient c = ChClient.builder()
                .socket(mock.socket)
                .callTimeout(java.time.Duration.ofSeconds(3))
                .longCallTimeout(java.time.Duration.ofMinutes(7))
                .callTimeout("vm.pause", java.time.Duration.ofSeconds(1))
                .build()) {
            assertThat(c.timeoutFor("vm.boot")).hasMinutes(7);
            assertThat(c.timeoutFor("vm.info")).hasSeconds(3);
            assertThat(c.timeoutFor("vm.pause")).hasSeconds(1);
        }
    }

    @Test
    void aTimeoutForAnUnknownOrSlashedEndpointIsRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ChClient.builder().callTimeout("vm.bot", java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown CH endpoint vm.bot")
                .hasMessageContaining("must be one of CH's endpoint names")
                .hasMessageContaining("vm.boot");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ChClient.builder().callTimeout("/vm.boot", java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a leading slash");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ChClient.builder().callTimeout("/api/v1/vm.boot", java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        for (String endpoint : ChCalls.ENDPOINTS) {
            ChClient.builder().callTimeout(endpoint, java.time.Duration.ofSeconds(1));
        }
        assertThat(ChCalls.ENDPOINTS).hasSize(31).contains("vmm.ping", "vm.add-user-device");
    }

    @Test
    void callsAfterCloseAreMisuse() {
        client.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(client::ping)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
