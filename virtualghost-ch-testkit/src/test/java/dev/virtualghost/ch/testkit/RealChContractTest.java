package dev.virtualghost.ch.testkit;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The CH contract against a real {@code cloud-hypervisor} given by {@code VIRTUALGHOST_CH_BINARY}; boot-related
 * cases also need a guest kernel in {@code VIRTUALGHOST_CH_KERNEL}. Skipped with the reason when unset.
 */
class RealChContractTest extends ChApiContract {
  private static final String BINARY = System.getenv("VIRTUALGHOST_CH_BINARY");
  private static final String KERNEL = System.getenv("VIRTUALGHOST_CH_KERNEL");
  private ChProcess ch;

  @BeforeEach
  void start() {
    Assumptions.assumeTrue(BINARY != null && !BINARY.isBlank(),
        "VIRTUALGHOST_CH_BINARY is not set: no real cloud-hypervisor to check the contract against");
    ch = ChProcess.builder().binary(Path.of(BINARY)).start();
    ch.awaitApi(Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    if (ch != null) {
      ch.close();
    }
  }

  @Override
  protected ChClient client() {
    return ch.client();
  }

  @Override
  protected Path socket() {
    return ch.socket();
  }

  @Override
  protected VmConfig.Builder bootableConfig() {
    String kernel = KERNEL != null ? KERNEL : "/nonexistent/vmlinux";
    return VmConfig.builder().payload(PayloadConfig.ofKernel(kernel, "console=hvc0 reboot=k panic=1"));
  }

  @Override
  protected boolean canBoot() {
    return KERNEL != null && !KERNEL.isBlank();
  }
}
