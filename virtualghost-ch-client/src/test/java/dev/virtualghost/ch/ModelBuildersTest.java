package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.ch.internal.JsonCodec;
import dev.virtualghost.ch.model.BalloonConfig;
import dev.virtualghost.ch.model.ConsoleConfig;
import dev.virtualghost.ch.model.CpusConfig;
import dev.virtualghost.ch.model.DeviceConfig;
import dev.virtualghost.ch.model.DiskConfig;
import dev.virtualghost.ch.model.FsConfig;
import dev.virtualghost.ch.model.ImageType;
import dev.virtualghost.ch.model.MemoryConfig;
import dev.virtualghost.ch.model.NetConfig;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.PmemConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VsockConfig;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The model's builders write the JSON CH expects, copy faithfully, and refuse what CH would refuse. */
class ModelBuildersTest {

    private final JsonCodec json = JsonCodec.INSTANCE;

    @Test
    void diskBuilderWritesOnlyWhatWasSet() throws Exception {
        DiskConfig disk = DiskConfig.builder()
                .path("/images/root.qcow2")
                .readonly(true)
                .numQueues(4)
                .imageType(ImageType.QCOW2)
                .id("root")
                .build();

        assertThat(json.writeString(disk))
                .isEqualTo("{\"path\":\"/images/root.qcow2\",\"readonly\":true,"
                        + "\"num_queues\":4,\"id\":\"root\",\"image_type\":\"Qcow2\"}");
        DiskConfig back = json.read(json.writeString(disk), DiskConfig.class);
        assertThat(back).isEqualTo(disk);
    }

    @Test
    void newBuilderCopiesEverythingAndChangesOnlyWhatIsSet() {
        DiskConfig disk = DiskConfig.builder()
                .path("/a.raw")
                .direct(true)
                .serial("S1")
                .queueSize(256)
                .build();

        DiskConfig copy = disk.newBuilder().readonly(true).build();

        assertThat(copy)
                .isEqualTo(new DiskConfig(
                        "/a.raw", true, true, null, null, 256, null, null, null, null, null, null, "S1", null, null,
                        null, null, null, null));
        assertThat(disk.readonly()).isNull();
        assertThat(disk.newBuilder().build()).isEqualTo(disk);
    }

    @Test
    void pathOverloadsMakePathsAbsolute() {
        Path relative = Path.of("images", "root.raw");

        assertThat(DiskConfig.builder().path(relative).build().path())
                .isEqualTo(relative.toAbsolutePath().toString());
        assertThat(DiskConfig.ofPath(relative).path()).startsWith("/");
        assertThat(PayloadConfig.ofKernel(Path.of("vmlinux"), null).kernel())
                .startsWith("/")
                .endsWith("/vmlinux");
        assertThat(VsockConfig.of(3, Path.of("/run/vg/vsock.sock")).socket()).isEqualTo("/run/vg/vsock.sock");
        assertThat(FsConfig.builder()
                        .tag("t")
                        .socket(Path.of("virtiofsd.sock"))
                        .build()
                        .socket())
                .startsWith("/");
    }

    @Test
    void deviceOfPciAddressIsItsSysfsDirectory() throws Exception {
        DeviceConfig gpu = DeviceConfig.of(PciAddress.parse("0000:0a:00.0"), "gpu0");

        assertThat(gpu.path()).isEqualTo("/sys/bus/pci/devices/0000:0a:00.0/");
        assertThat(json.writeString(gpu))
                .isEqualTo("{\"path\":\"/sys/bus/pci/devices/0000:0a:00.0/\",\"id\":\"gpu0\"}");
        assertThat(DeviceConfig.of(PciAddress.parse("0000:0a:00.1")).id()).isNull();
    }

    @Test
    void vmConfigAddMethodsAppendInOrder() {
        VmConfig config = VmConfig.builder()
                .payload(PayloadConfig.ofKernel("/k", "console=ttyS0"))
                .disks(List.of(DiskConfig.ofPath("/a.raw")))
                .addDisk(DiskConfig.ofPath("/b.raw"))
                .addDevice(PciAddress.parse("0000:01:00.0"))
                .addDevice(DeviceConfig.of(PciAddress.parse("0000:01:00.1"), "audio"))
                .addNet(NetConfig.builder()
                        .tap("vgtap0")
                        .mac("12:34:56:78:9a:bc")
                        .build())
                .build();

        assertThat(config.disks()).extracting(DiskConfig::path).containsExactly("/a.raw", "/b.raw");
        assertThat(config.devices())
                .extracting(DeviceConfig::path)
                .containsExactly("/sys/bus/pci/devices/0000:01:00.0/", "/sys/bus/pci/devices/0000:01:00.1/");
        assertThat(config.net()).hasSize(1);

        // A copy appends to its own list; the original (unmodifiable) one is untouched.
        VmConfig more = config.newBuilder().addDisk(DiskConfig.ofPath("/c.raw")).build();
        assertThat(more.disks()).hasSize(3);
        assertThat(config.disks()).hasSize(2);
    }

    @Test
    void buildersRefuseWhatChWouldRefuse() {
        assertThatThrownBy(() -> DiskConfig.builder().readonly(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a path");
        assertThat(DiskConfig.builder()
                        .vhostUser(true)
                        .vhostSocket("/run/vhost.sock")
                        .build()
                        .path())
                .isNull();
        assertThatThrownBy(() -> DiskConfig.builder().numQueues(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("numQueues must be positive");
        assertThatThrownBy(() -> VsockConfig.builder().cid(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cid must be 3 or more");
        assertThatThrownBy(() -> VsockConfig.builder().cid(3).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VsockConfig needs socket");
        assertThatThrownBy(() -> PayloadConfig.builder().cmdline("quiet").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kernel, a firmware or an igvm");
        assertThatThrownBy(() -> MemoryConfig.builder().shared(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MemoryConfig needs size");
        assertThatThrownBy(() -> BalloonConfig.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ConsoleConfig.builder().file("/tmp/x").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mode");
        assertThatThrownBy(() -> PmemConfig.builder().size(1L << 20).build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void specRequiredFieldsGetChDefaults() throws Exception {
        // The spec marks FsConfig's queue fields and CpusConfig.max_vcpus required; the builder fills CH's defaults.
        assertThat(json.writeString(
                        FsConfig.builder().tag("share").socket("/run/fs.sock").build()))
                .isEqualTo("{\"tag\":\"share\",\"socket\":\"/run/fs.sock\",\"num_queues\":1,\"queue_size\":1024}");
        CpusConfig cpus = CpusConfig.builder().bootVcpus(2).build();
        assertThat(cpus.maxVcpus()).isEqualTo(2);
        assertThat(MemoryConfig.builder().size(1L << 30).hugepages(true).build().size())
                .isEqualTo(1L << 30);
    }

    @Test
    void everyBuilderHasASetterPerComponentAndCopiesThemAll() throws Exception {
        for (Class<?> type : List.of(
                DiskConfig.class,
                NetConfig.class,
                FsConfig.class,
                PmemConfig.class,
                CpusConfig.class,
                MemoryConfig.class,
                PayloadConfig.class,
                DeviceConfig.class,
                VsockConfig.class,
                ConsoleConfig.class,
                BalloonConfig.class,
                VmConfig.class)) {
            Class<?> builder = Arrays.stream(type.getClasses())
                    .filter(c -> c.getSimpleName().equals("Builder"))
                    .findFirst()
                    .orElseThrow();
            Set<String> setters =
                    Arrays.stream(builder.getMethods()).map(Method::getName).collect(Collectors.toSet());
            for (RecordComponent c : type.getRecordComponents()) {
                assertThat(setters)
                        .as(type.getSimpleName() + ".Builder." + c.getName())
                        .contains(c.getName());
            }
        }
    }
}
