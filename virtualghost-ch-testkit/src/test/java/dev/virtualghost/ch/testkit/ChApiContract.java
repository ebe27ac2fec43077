package dev.virtualghost.ch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.virtualghost.ch.ChApiException;
import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.model.CpusConfig;
import dev.virtualghost.ch.model.DeviceConfig;
import dev.virtualghost.ch.model.MemoryConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Assertions about CH's API that the real {@code cloud-hypervisor} and {@link FakeCloudHypervisor} must both
 * pass, so the fake cannot drift from the real thing. Each test starts with a fresh VMM that has no VM.
 */
abstract class ChApiContract {
  private static final String DEVICE_A = "/sys/bus/pci/devices/0000:00:1f.0/";
  private static final String DEVICE_B = "/sys/bus/pci/devices/0000:00:1f.3/";

  /** A client for a fresh VMM with no VM created. */
  protected abstract ChClient client();

  /** The same VMM's API socket, for requests a typed client never sends. */
  protected abstract Path socket();

  /** A config that creates; {@link #canBoot()} says whether it also boots here. */
  protected abstract VmConfig.Builder bootableConfig();

  /** Whether the config boots on this host (the real CH needs a kernel and working KVM). */
  protected abstract boolean canBoot();

  private VmConfig config() {
    return bootableConfig().cpus(CpusConfig.of(2)).memory(MemoryConfig.ofSize(512L << 20)).build();
  }

  @Test
  void pingReportsAVersion() {
    assertThat(client().ping().version()).matches("v?\\d+\\.\\d+.*");
  }

  @Test
  void infoBeforeCreateIs404() {
    ChApiException e = catchThrowableOfType(ChApiException.class, () -> client().info());
    assertThat(e).as("vm.info without a VM fails").isNotNull();
    assertThat(e.status()).isEqualTo(404);
  }

  @Test
  void createThenInfoShowsTheConfig() {
    client().create(config());
    VmInfo info = client().info();
    assertThat(info.state()).isEqualTo("Created");
    assertThat(info.config().payload().kernel()).isEqualTo(config().payload().kernel());
    assertThat(info.config().cpus().bootVcpus()).isEqualTo(2);
    assertThat(info.config().memory().size()).isEqualTo(512L << 20);
  }

  @Test
  void secondCreateFailsWithTheWholeErrorChain() {
    client().create(config());
    ChApiException e = catchThrowableOfType(ChApiException.class, () -> client().create(config()));
    assertThat(e).isNotNull();
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.errors()).hasSizeGreaterThanOrEqualTo(2).first().isEqualTo("Error from API");
    assertThat(e.getMessage()).contains(e.errors());
  }

  @Test
  void bootBeforeCreateFails() {
    ChApiException e = catchThrowableOfType(ChApiException.class, () -> client().boot());
    assertThat(e).isNotNull();
    assertThat(e.status()).isIn(404, 500);
    assertThat(e.errors()).isNotEmpty();
  }

  @Test
  void bootPauseResumeShutdownMoveTheState() {
    Assumptions.assumeTrue(canBoot(), "no bootable kernel/KVM for this VMM (set VIRTUALGHOST_CH_KERNEL)");
    client().create(config());
    client().boot();
    assertThat(client().info().state()).isEqualTo("Running");
    client().pause();
    assertThat(client().info().state()).isEqualTo("Paused");
    assertThatThrownBy(() -> client().pause()).isInstanceOf(ChApiException.class);
    client().resume();
    assertThat(client().info().state()).isEqualTo("Running");
    client().shutdown();
    assertThat(client().info().state()).isNotEqualTo("Running");
  }

  @Test
  void duplicateDeviceIdIs409WithTheWholeChain() {
    client().create(config().newBuilder().devices(List.of(DeviceConfig.ofPath(DEVICE_A, "gpu0"))).build());
    ChApiException e = catchThrowableOfType(ChApiException.class,
        () -> client().addDevice(DeviceConfig.ofPath(DEVICE_B, "gpu0")));
    assertThat(e).isNotNull();
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.errors()).first().isEqualTo("Error from API");
    assertThat(e.rootCause()).contains("gpu0");
  }

  @Test
  void malformedOrMistypedBodyIs400() throws Exception {
    assertThat(RawHttp.put(socket(), "vm.create", "{\"payload\": {").status()).isEqualTo(400);
    assertThat(RawHttp.put(socket(), "vm.create", "{\"payload\":{},\"cpus\":{\"boot_vcpus\":\"two\","
        + "\"max_vcpus\":2}}").status()).isEqualTo(400);
    assertThat(RawHttp.put(socket(), "vm.boot", "{}").status()).isEqualTo(400);
    assertThatThrownBy(() -> client().info()).isInstanceOf(ChApiException.class);
  }
}
