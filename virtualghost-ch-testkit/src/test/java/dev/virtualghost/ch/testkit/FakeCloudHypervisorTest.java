package dev.virtualghost.ch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Simulator behaviour that a client cannot provoke: HTTP framing, Content-Type strictness, the body limit,
 * hooks, the lock, and the event stream. Each case names the CH behaviour it stands for.
 */
class FakeCloudHypervisorTest {
    private static final String CREATE = "{\"payload\":{\"kernel\":\"/boot/vmlinux\"},"
            + "\"cpus\":{\"boot_vcpus\":2,\"max_vcpus\":4},\"memory\":{\"size\":1073741824}}";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream events = new ByteArrayOutputStream();
    private FakeCloudHypervisor ch;
    private Path socket;

    @BeforeEach
    void start() {
        socket = dir.resolve("api.sock");
        ch = FakeCloudHypervisor.builder().socket(socket).eventMonitor(events).start();
    }

    @AfterEach
    void stop() {
        ch.close();
    }

    @Test
    void unknownPathIsAnswered404() throws IOException {
        RawHttp.Response r = RawHttp.get(socket, "vm.nonsense");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("[\"Not Found\"]");
        assertThat(ch.requestCount("/api/v1/vm.nonsense")).isEqualTo(1);
    }

    @Test
    void wrongMethodIsAnswered400NotThe405TheSpecLists() throws IOException {
        assertThat(RawHttp.put(socket, "vm.info", null).status()).isEqualTo(400);
        RawHttp.Response r = RawHttp.get(socket, "vm.boot");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("[\"Bad Request\"]");
    }

    @Test
    void contentTypeMustBeExactlyApplicationJsonOrTextPlain() throws IOException {
        byte[] body = CREATE.getBytes(StandardCharsets.UTF_8);
        assertThat(RawHttp.send(socket, "PUT", "vm.create", "application/json; charset=utf-8", body)
                        .status())
                .isEqualTo(400);
        assertThat(ch.vmState()).isEmpty();
        assertThat(RawHttp.send(socket, "PUT", "vm.create", "text/plain", body).status())
                .isEqualTo(204);
        assertThat(ch.vmState()).contains("Created");
    }

    @Test
    void bodyOnBodylessActionAndMissingBodyAreAnswered400() throws IOException {
        RawHttp.put(socket, "vm.create", CREATE);
        assertThat(RawHttp.put(socket, "vm.boot", "{}").status()).isEqualTo(400);
        assertThat(ch.vmState()).contains("Created");
        assertThat(RawHttp.put(socket, "vm.resize", null).status()).isEqualTo(400);
    }

    @Test
    void invalidJsonIsAnswered400WithAnErrorArray() throws IOException {
        RawHttp.Response r = RawHttp.put(socket, "vm.create", "{\"payload\": {");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).startsWith("[\"Failed to deserialize JSON\"");
        assertThat(RawHttp.put(socket, "vm.create", "{} trailing").status()).isEqualTo(400);
        assertThat(RawHttp.put(socket, "vm.create", "{\"cpus\":{}}").body()).contains("missing field `payload`");
    }

    @Test
    void bodiesUpTo4MiBAreReadAndLargerOnesRefused() throws IOException {
        int limit = 4 * 1024 * 1024;
        String prefix = "{\"payload\":{\"kernel\":\"/k\"},\"padding\":\"";
        String suffix = "\"}";
        String exact = prefix + "x".repeat(limit - prefix.length() - suffix.length()) + suffix;
        assertThat(exact.length()).isEqualTo(limit);
        assertThat(RawHttp.put(socket, "vm.create", exact).status()).isEqualTo(204);
        RawHttp.Response tooBig = RawHttp.send(socket, "PUT", "vm.resize", "application/json", new byte[0], limit + 1L);
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.body()).contains("larger than the limit");
    }

    @Test
    void answersExpect100ContinueBeforeReadingTheBody() throws IOException {
        // curl sends "Expect: 100-continue" for bodies over 1 KiB and waits for the interim answer.
        byte[] body = CREATE.getBytes(StandardCharsets.UTF_8);
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()))) {
            s.setSoTimeout(5000);
            s.getOutputStream()
                    .write(("PUT /api/v1/vm.create HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
                                    + body.length
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            byte[] interim = s.getInputStream().readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
            assertThat(new String(interim, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            s.getOutputStream().write(body);
            byte[] status = s.getInputStream().readNBytes("HTTP/1.1 204".length());
            assertThat(new String(status, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 204");
        }
        assertThat(ch.vmState()).contains("Created");
    }

    @Test
    void stateMachineFollowsCh() throws IOException {
        assertThat(RawHttp.put(socket, "vm.boot", null).status()).isEqualTo(404);
        assertThat(RawHttp.put(socket, "vm.create", CREATE).status()).isEqualTo(204);
        assertThat(RawHttp.put(socket, "vm.create", CREATE).status()).isEqualTo(500);
        assertThat(RawHttp.put(socket, "vm.resume", null).status()).isEqualTo(500);
        assertThat(RawHttp.put(socket, "vm.boot", null).status()).isEqualTo(204);
        assertThat(ch.vmState()).contains("Running");
        assertThat(RawHttp.put(socket, "vm.pause", null).status()).isEqualTo(204);
        assertThat(ch.vmState()).contains("Paused");
        assertThat(RawHttp.put(socket, "vm.resume", null).status()).isEqualTo(204);
        assertThat(RawHttp.put(socket, "vm.shutdown", null).status()).isEqualTo(204);
        // CH drops the Vm but keeps its config: info says Created and the VM boots again.
        assertThat(ch.vmState()).contains("Created");
        assertThat(RawHttp.put(socket, "vm.boot", null).status()).isEqualTo(204);
        assertThat(RawHttp.put(socket, "vm.delete", null).status()).isEqualTo(204);
        assertThat(ch.vmState()).isEmpty();
        assertThat(RawHttp.get(socket, "vm.info").status()).isEqualTo(404);
    }

    @Test
    void infoShowsConfigWithDefaultsStateAndDeviceTree() throws IOException {
        // A host with VFIO, where the hot-plug succeeds (an explicit option; the default is a host without /dev/vfio).
        ch.close();
        ch = FakeCloudHypervisor.builder().socket(socket).vfioAvailable(true).start();
        RawHttp.put(socket, "vm.create", CREATE);
        RawHttp.put(socket, "vm.boot", null);
        RawHttp.Response add = RawHttp.put(
                socket, "vm.add-device", "{\"path\":\"/sys/bus/pci/devices/0000:01:00.0/\",\"id\":\"gpu0\"}");
        assertThat(add.status()).isEqualTo(200);
        assertThat(add.body()).contains("\"id\":\"gpu0\"").containsPattern("\"bdf\":\"0000:00:[0-9a-f]{2}\\.0\"");
        RawHttp.Response info = RawHttp.get(socket, "vm.info");
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.body())
                .contains(
                        "\"state\":\"Running\"",
                        "\"memory_actual_size\":1073741824",
                        "\"kernel\":\"/boot/vmlinux\"",
                        "\"device_tree\":{\"gpu0\":")
                .doesNotContain("__bdf");
    }

    @Test
    void duplicateDeviceIdOrPathIsAnswered409() throws IOException {
        RawHttp.put(socket, "vm.create", CREATE);
        RawHttp.put(socket, "vm.boot", null);
        RawHttp.put(socket, "vm.add-disk", "{\"path\":\"/img/a.raw\",\"id\":\"disk0\"}");
        RawHttp.Response sameId = RawHttp.put(socket, "vm.add-disk", "{\"path\":\"/img/b.raw\",\"id\":\"disk0\"}");
        assertThat(sameId.status()).isEqualTo(409);
        assertThat(sameId.body())
                .isEqualTo("[\"Error from API\",\"The new disk could not be added to the VM\","
                        + "\"Failed to validate config\",\"Identifier disk0 is not unique\"]");
        assertThat(RawHttp.put(socket, "vm.add-disk", "{\"path\":\"/img/a.raw\"}")
                        .status())
                .isEqualTo(409);
    }

    @Test
    void resizeAnswers429WhileAVcpuRemovalIsPending() throws IOException {
        RawHttp.put(socket, "vm.create", CREATE);
        RawHttp.put(socket, "vm.boot", null);
        assertThat(RawHttp.put(socket, "vm.resize", "{\"desired_vcpus\":4}").status())
                .isEqualTo(204);
        assertThat(RawHttp.put(socket, "vm.resize", "{\"desired_vcpus\":3}").status())
                .isEqualTo(204);
        assertThat(RawHttp.put(socket, "vm.resize", "{\"desired_vcpus\":2}").status())
                .isEqualTo(429);
        assertThat(RawHttp.put(socket, "vm.resize", "{\"desired_vcpus\":9}").status())
                .isEqualTo(500);
    }

    @Test
    void snapshotOfPausedVmRestoresPausedInAFreshVmm() throws IOException {
        Path snap = Files.createDirectory(dir.resolve("snap"));
        RawHttp.put(socket, "vm.create", CREATE);
        RawHttp.put(socket, "vm.boot", null);
        String body = "{\"destination_url\":\"" + snap.toUri() + "\"}";
        assertThat(RawHttp.put(socket, "vm.snapshot", body).status()).isEqualTo(500);
        RawHttp.put(socket, "vm.pause", null);
        assertThat(RawHttp.put(socket, "vm.snapshot", body).status()).isEqualTo(204);
        assertThat(snap.resolve("config.json")).exists();
        assertThat(RawHttp.put(socket, "vm.restore", "{\"source_url\":\"" + snap.toUri() + "\"}")
                        .status())
                .isEqualTo(500);
        RawHttp.put(socket, "vm.delete", null);
        assertThat(RawHttp.put(socket, "vm.restore", "{\"source_url\":\"" + snap.toUri() + "\"}")
                        .status())
                .isEqualTo(204);
        assertThat(ch.vmState()).contains("Paused");
    }

    @Test
    void hooksFailDelayCountAndRecord() throws IOException {
        ch.failNext("vmm.ping", 500, "Error from API", "injected");
        RawHttp.Response failed = RawHttp.get(socket, "vmm.ping");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("[\"Error from API\",\"injected\"]");
        RawHttp.Response ok = RawHttp.get(socket, "vmm.ping");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).contains("\"version\":\"54.0.0\"", "\"build_version\":\"v54.0.0\"");
        ch.delay("vmm.ping", Duration.ofMillis(300));
        long t0 = System.nanoTime();
        RawHttp.get(socket, "vmm.ping");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(ch.requestCount("vmm.ping")).isEqualTo(3);
        RawHttp.put(socket, "vm.create", CREATE);
        RecordedRequest last = ch.requests().get(ch.requests().size() - 1);
        assertThat(last.method()).isEqualTo("PUT");
        assertThat(last.path()).isEqualTo("/api/v1/vm.create");
        assertThat(last.headers()).containsEntry("content-type", "application/json");
        assertThat(last.bodyUtf8()).isEqualTo(CREATE);
        assertThatThrownBy(() -> ch.failNext("vm.nope", 500, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void holdsLockWhileRunningRemovesTheSocketOnCloseAndLeavesTheLockFileLikeCh() throws IOException {
        assertThat(ch.lockFile()).exists();
        assertThatThrownBy(() -> FakeCloudHypervisor.builder().socket(socket).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another VMM");
        ch.close();
        assertThat(socket).doesNotExist();
        // Measured on CH v54: api.sock.lock stays after the VMM ends; the next VMM takes the unlocked file over.
        assertThat(ch.lockFile()).exists();
        ch.close();
        try (FakeCloudHypervisor next =
                FakeCloudHypervisor.builder().socket(socket).start()) {
            assertThat(RawHttp.get(next.socket(), "vmm.ping").status()).isEqualTo(200);
        }
    }

    @Test
    void anEventFileThatCannotBeOpenedLeavesNoSocketAndAnUnlockedLock() throws IOException {
        Path other = dir.resolve("events-fail.sock");
        assertThatThrownBy(() -> FakeCloudHypervisor.builder()
                        .socket(other)
                        .eventMonitor(dir.resolve("no-such-dir/events.json"))
                        .start())
                .isNotNull();
        assertThat(other).doesNotExist();
        try (FakeCloudHypervisor again =
                FakeCloudHypervisor.builder().socket(other).start()) {
            assertThat(RawHttp.get(again.socket(), "vmm.ping").status()).isEqualTo(200);
        }
    }

    @Test
    void replacesAStaleSocketFile() throws IOException {
        Path other = dir.resolve("stale.sock");
        Files.writeString(other, "left over by a killed VMM");
        try (FakeCloudHypervisor second =
                FakeCloudHypervisor.builder().socket(other).start()) {
            assertThat(RawHttp.get(second.socket(), "vmm.ping").status()).isEqualTo(200);
        }
    }

    @Test
    void eventStreamIsPrettyPrintedObjectsSeparatedByBlankLines() throws IOException {
        RawHttp.put(socket, "vm.create", CREATE);
        RawHttp.put(socket, "vm.boot", null);
        RawHttp.put(socket, "vm.pause", null);
        RawHttp.put(socket, "vm.resume", null);
        RawHttp.put(socket, "vmm.shutdown", null);
        ch.close();
        String text = events.toString(StandardCharsets.UTF_8);
        List<String> records =
                Arrays.stream(text.split("\n\n")).filter(s -> !s.isBlank()).collect(Collectors.toList());
        assertThat(text).endsWith("}\n\n");
        assertThat(records.get(0))
                .matches("(?s)\\{\n  \"timestamp\": \\{\n    \"secs\": \\d+,\n    \"nanos\": \\d+\n  },\n"
                        + "  \"source\": \"vmm\",\n  \"event\": \"starting\",\n  \"properties\": null\n}");
        List<String> names = records.stream()
                .map(r -> r.replaceAll("(?s).*\"source\": \"([^\"]+)\",\n  \"event\": \"([^\"]+)\".*", "$1/$2"))
                .collect(Collectors.toList());
        assertThat(names)
                .containsExactly(
                        "vmm/starting",
                        "vm/booting",
                        "vm/booted",
                        "vm/pausing",
                        "vm/paused",
                        "vm/resuming",
                        "vm/resumed",
                        "vm/shutdown",
                        "vm/deleted",
                        "vmm/shutdown");
    }

    @Test
    void specValidationRejectsWrongTypeAndUnknownEnum() throws IOException {
        Path spec = SharedSpec.require();
        Path checkedSocket = dir.resolve("checked.sock");
        try (FakeCloudHypervisor checked =
                FakeCloudHypervisor.builder().socket(checkedSocket).spec(spec).start()) {
            RawHttp.Response wrongType = RawHttp.put(
                    checkedSocket,
                    "vm.create",
                    "{\"payload\":{\"kernel\":\"/k\"},\"cpus\":{\"boot_vcpus\":\"two\",\"max_vcpus\":2}}");
            assertThat(wrongType.status()).isEqualTo(400);
            assertThat(wrongType.body()).contains("boot_vcpus").contains("string");
            RawHttp.Response badEnum = RawHttp.put(
                    checkedSocket, "vm.create", "{\"payload\":{\"kernel\":\"/k\"},\"console\":{\"mode\":\"Bogus\"}}");
            assertThat(badEnum.status()).isEqualTo(400);
            assertThat(badEnum.body()).contains("Bogus");
            assertThat(checked.vmState()).isEmpty();
            assertThat(RawHttp.put(checkedSocket, "vm.create", CREATE).status()).isEqualTo(204);
        }
    }
}
