package dev.virtualghost.ch.testkit;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The CH contract against {@link FakeCloudHypervisor}, with spec validation on when ../shared is present. */
class FakeChContractTest extends ChApiContract {
  @TempDir Path dir;
  private FakeCloudHypervisor ch;
  private ChClient client;

  @BeforeEach
  void start() {
    FakeCloudHypervisor.Builder builder = FakeCloudHypervisor.builder().socket(dir.resolve("api.sock"));
    Path spec = SharedSpec.find();
    if (spec != null) {
      builder.spec(spec);
    }
    ch = builder.start();
    client = ChClient.builder().socket(ch.socket()).callTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void stop() {
    client.close();
    ch.close();
  }

  @Override
  protected ChClient client() {
    return client;
  }

  @Override
  protected Path socket() {
    return ch.socket();
  }

  @Override
  protected VmConfig.Builder bootableConfig() {
    return VmConfig.builder().payload(PayloadConfig.ofKernel("/nonexistent/vmlinux", "console=hvc0"));
  }

  @Override
  protected boolean canBoot() {
    return true;
  }
}
