package dev.virtualghost.ch.testkit;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CH contract against the real {@code cloud-hypervisor} ({@link CloudHypervisorBinary}), booting the
 * {@link PvhTestGuest} (halt mode) as the kernel.
 */
@RequiresCloudHypervisor
class RealChContractTest extends ChApiContract {
    @TempDir Path dir;
    private ChProcess ch;

    @BeforeEach
    void start() {
        ch = ChProcess.builder().binary(CloudHypervisorBinary.find().orElseThrow()).start();
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
        Path kernel = PvhTestGuest.builder().serialLine("VIRTUALGHOST-CONTRACT").mode(PvhTestGuest.Mode.HALT).build()
            .writeTo(dir.resolve("guest.elf"));
        return VmConfig.builder().payload(PayloadConfig.ofKernel(kernel.toString(), null)).serial(ch.serialConfig());
    }

    @Override
    protected boolean canBoot() {
        return true;
    }
}
