package dev.virtualghost.benchmarks.ch;

import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real {@code cloud-hypervisor} for the benchmarks, found as in the tests: env {@code VIRTUALGHOST_CH_BINARY},
 * else {@code <virtualghost.shared.dir>/ch/cloud-hypervisor}, else {@code ../shared/ch/cloud-hypervisor} from the
 * working directory (the repository root). Started with a created (not booted) VM so that {@code vm.info} answers
 * with CH's full config, as in real use.
 */
final class RealChVmm {

    private RealChVmm() {}

    /** The binary, or an exception saying how to provide one. */
    static Path binary() {
        String env = System.getenv("VIRTUALGHOST_CH_BINARY");
        String shared = System.getProperty("virtualghost.shared.dir", "../shared");
        Path p = env != null && !env.isEmpty() ? Path.of(env) : Path.of(shared, "ch", "cloud-hypervisor");
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("no real cloud-hypervisor at " + p.toAbsolutePath() + ": set "
                    + "VIRTUALGHOST_CH_BINARY, or run with -p server=minimal,vmm-thread to skip the real-VMM rows");
        }
        return p;
    }

    /** {@code ch-remote} beside the binary. */
    static Path chRemote() {
        return binary().resolveSibling("ch-remote");
    }

    /** A started VMM with a created VM (CH reads the kernel only at boot, so none is needed). */
    static ChProcess start() {
        ChProcess ch = ChProcess.builder().binary(binary()).start();
        ch.client()
                .create(VmConfig.builder()
                        .payload(PayloadConfig.ofKernel("/nonexistent-kernel", null))
                        .serial(ch.serialConfig())
                        .build());
        return ch;
    }
}
