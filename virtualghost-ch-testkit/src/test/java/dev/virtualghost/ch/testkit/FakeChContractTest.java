package dev.virtualghost.ch.testkit;

import dev.virtualghost.ch.ChProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CH contract against the fake, run as the real one is: a {@code cloud-hypervisor} stand-in process started
 * by {@link ChProcess}, checking request bodies against CH's OpenAPI file when ../shared is present.
 */
class FakeChContractTest extends ChApiContract {
    @TempDir
    static Path bin;

    private static Path binary;

    @BeforeAll
    static void install() {
        binary = FakeCloudHypervisor.installLauncher(bin);
    }

    @Override
    protected ChProcess.Builder vmm() {
        ChProcess.Builder b = ChProcess.builder().binary(binary);
        Path spec = SharedSpec.find();
        if (spec != null) {
            b.environment("VIRTUALGHOST_FAKE_CH_SPEC", spec.toString());
        }
        return b;
    }

    /** The fake models a host where snapshots work (it writes the snapshot files a restore reads). */
    @Override
    protected boolean snapshotWorksHere() {
        return true;
    }
}
