package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.ch.model.CpusConfig;
import dev.virtualghost.ch.model.DiskConfig;
import dev.virtualghost.ch.model.MemoryConfig;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmInfo;
import dev.virtualghost.ch.model.VmState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public JSON API renders CH's wire names, reads them back, and names the type when the text does not fit. */
class ChJsonTest {

    private static VmConfig config() {
        return VmConfig.builder()
                .payload(PayloadConfig.ofKernel("/images/vmlinuz", "console=ttyS0"))
                .cpus(CpusConfig.of(2))
                .memory(MemoryConfig.ofSize(1L << 30))
                .disks(List.of(DiskConfig.builder()
                        .path("/images/rootfs.ext4")
                        .readonly(true)
                        .build()))
                .build();
    }

    @Test
    void rendersSnakeCaseAndLeavesAbsentFieldsOut() {
        String json = ChJson.toJson(config());

        assertThat(json)
                .contains(
                        "\"boot_vcpus\":2",
                        "\"kernel\":\"/images/vmlinuz\"",
                        "\"readonly\":true",
                        "\"size\":1073741824");
        assertThat(json).doesNotContain("null", "\"iommu\"", "\"vhost_user\"");
    }

    @Test
    void roundTripsAConfig() {
        VmConfig original = config();

        assertThat(ChJson.fromJson(ChJson.toJson(original), VmConfig.class)).isEqualTo(original);
    }

    @Test
    void readsCHsAnswerAndSkipsUnknownKeys() {
        VmInfo info = ChJson.fromJson(
                "{\"config\":{\"cpus\":{\"boot_vcpus\":1,\"max_vcpus\":1}},"
                        + "\"state\":\"Running\",\"a_future_field\":[1,2]}",
                VmInfo.class);

        assertThat(info.state()).isEqualTo(VmState.RUNNING);
        assertThat(ChJson.fromJson("{\"state\":\"Paused\"}".getBytes(StandardCharsets.UTF_8), VmInfo.class)
                        .state())
                .isEqualTo(VmState.PAUSED);
    }

    @Test
    void malformedJsonIsAProtocolErrorNamingTheType() {
        assertThatThrownBy(() -> ChJson.fromJson("{\"cpus\":", VmConfig.class))
                .isInstanceOf(ChProtocolException.class)
                .hasMessageStartingWith("not a VmConfig in CH's JSON");
        assertThatThrownBy(() -> ChJson.fromJson("null", VmConfig.class)).isInstanceOf(ChProtocolException.class);
        assertThatThrownBy(() -> ChJson.fromJson("{\"cpus\":\"two\"}", VmConfig.class))
                .isInstanceOf(ChProtocolException.class);
    }
}
