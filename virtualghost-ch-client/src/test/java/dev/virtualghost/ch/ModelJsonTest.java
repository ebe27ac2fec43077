package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.ch.internal.JsonCodec;
import dev.virtualghost.ch.model.ConsoleConfig;
import dev.virtualghost.ch.model.ConsoleMode;
import dev.virtualghost.ch.model.CpusConfig;
import dev.virtualghost.ch.model.DeviceConfig;
import dev.virtualghost.ch.model.DiskConfig;
import dev.virtualghost.ch.model.MemoryConfig;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.SerialConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmInfo;
import dev.virtualghost.ch.model.VmState;
import dev.virtualghost.ch.model.VsockConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records read and write the JSON CH uses: snake_case names, absent stays absent, unknown is tolerated. */
class ModelJsonTest {

    private final JsonCodec json = JsonCodec.INSTANCE;

    private static VmConfig fullConfig() {
        return VmConfig.builder()
                .payload(PayloadConfig.ofKernel("/images/vmlinux", "console=hvc0 root=/dev/vda1"))
                .cpus(CpusConfig.of(4))
                .memory(new MemoryConfig(4L << 30, null, null, null, null, true, true, null, null, null, null, null))
                .disks(List.of(DiskConfig.ofPath("/images/root.raw")))
                .devices(List.of(
                        DeviceConfig.ofPath("/sys/bus/pci/devices/0000:01:00.0/", "gpu0"),
                        new DeviceConfig(
                                "/sys/bus/pci/devices/0000:01:00.1/",
                                null,
                                null,
                                null,
                                "gpu0-audio",
                                3,
                                List.of(0L, 2L))))
                .vsock(VsockConfig.of(3, "/run/vg/vsock.sock"))
                .serial(new SerialConfig(null, null, ConsoleMode.NULL))
                .console(new ConsoleConfig(null, null, ConsoleMode.TTY, null, null, null, null))
                .build();
    }

    @Test
    void fullVmConfigRoundTrips() throws Exception {
        VmConfig config = fullConfig();
        String text = json.writeString(config);
        assertThat(text)
                .contains("\"devices\":[{\"path\":\"/sys/bus/pci/devices/0000:01:00.0/\",\"id\":\"gpu0\"},"
                        + "{\"path\":\"/sys/bus/pci/devices/0000:01:00.1/\",\"id\":\"gpu0-audio\","
                        + "\"x_nv_gpudirect_clique\":3,\"x_exclude_mmap_bars\":[0,2]}]");
        assertThat(text).contains("\"vsock\":{\"cid\":3,\"socket\":\"/run/vg/vsock.sock\"}");
        assertThat(text).contains("\"shared\":true,\"hugepages\":true").doesNotContain("hugepage_size");
        VmConfig back = json.read(text, VmConfig.class);
        assertThat(back).isEqualTo(config);
        assertThat(back.newBuilder().build()).isEqualTo(config);
    }

    @Test
    void absentOptionalFieldsStayAbsent() throws Exception {
        VmConfig config =
                VmConfig.builder().payload(PayloadConfig.ofKernel("/k", null)).build();
        assertThat(json.writeString(config)).isEqualTo("{\"payload\":{\"kernel\":\"/k\"}}");
        VmConfig back = json.read("{\"payload\":{\"kernel\":\"/k\"},\"iommu\":false}", VmConfig.class);
        assertThat(back.iommu()).isFalse();
        assertThat(back.watchdog()).as("absent boolean is null, not false").isNull();
        assertThat(back.cpus()).isNull();
    }

    @Test
    void unknownFieldsAndEnumValuesFromNewerChAreTolerated() throws Exception {
        VmInfo info = json.read(
                "{\"config\":{\"payload\":{\"kernel\":\"/k\",\"future_payload\":1},"
                        + "\"future_device\":{\"a\":[1,2]}},\"state\":\"Hibernating\",\"added_in_v99\":true}",
                VmInfo.class);
        assertThat(info.state()).isEqualTo(VmState.UNKNOWN);
        assertThat(info.config().payload().kernel()).isEqualTo("/k");
    }

    @Test
    void builderAndFactoriesValidate() {
        assertThatThrownBy(() -> VmConfig.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("payload");
        assertThatThrownBy(() -> VsockConfig.of(2, "/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CpusConfig.of(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsCopyTheirListsAndKeepAbsentListsAbsent() {
        java.util.ArrayList<DiskConfig> disks = new java.util.ArrayList<>(List.of(DiskConfig.ofPath("/a.raw")));
        VmConfig config = VmConfig.builder()
                .payload(PayloadConfig.ofKernel("/k", null))
                .disks(disks)
                .build();
        disks.add(DiskConfig.ofPath("/b.raw"));
        assertThat(config.disks()).extracting(DiskConfig::path).containsExactly("/a.raw");
        assertThatThrownBy(() -> config.disks().add(DiskConfig.ofPath("/c.raw")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(config.net())
                .as("absent stays absent (CH applies its default)")
                .isNull();
        assertThat(json.writeString(config)).doesNotContain("\"net\"");
        java.util.HashMap<String, dev.virtualghost.ch.model.DeviceNode> tree = new java.util.HashMap<>();
        VmInfo info = new VmInfo(config, VmState.CREATED, null, tree);
        tree.put("x", null);
        assertThat(info.deviceTree()).isEmpty();
    }

    @Test
    void aNullArrayElementFromTheServerIsAProtocolError() {
        byte[] body =
                "{\"version\":\"53.0\",\"features\":[\"kvm\",null]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> dev.virtualghost.ch.internal.Responses.parse(
                        "GET", "vmm.ping", body, dev.virtualghost.ch.model.VmmPingResponse.class))
                .isInstanceOf(ChProtocolException.class)
                .hasMessageContaining("GET /api/v1/vmm.ping: JSON array with a null element");
    }
}
