package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.api.CheckResult;
import dev.virtualghost.api.CheckStatus;
import dev.virtualghost.api.HostCheckContext;
import dev.virtualghost.api.HostCheckProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ch.binary} check runs a real child process through PATH or the env var, with a bounded wait. */
class ChHostCheckProviderTest {

    @TempDir
    Path dir;

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static CheckResult run(Map<String, String> env, Duration timeout) {
        return new ChHostCheckProvider(env, timeout)
                .checks(HostCheckContext.generic())
                .get(0)
                .run();
    }

    @Test
    void isRegisteredForServiceLoader() {
        assertThat(ServiceLoader.load(HostCheckProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(ChHostCheckProvider.class);
    }

    @Test
    void absentBinaryFailsWithARemedy() {
        CheckResult r = run(Map.of("PATH", dir.toString()), Duration.ofSeconds(5));
        assertThat(r.check()).isEqualTo("ch.binary");
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("not found on PATH");
        assertThat(r.remedy()).contains("VIRTUALGHOST_CH_BINARY");
    }

    @Test
    void binaryOnPathReportsItsVersion() throws Exception {
        script("cloud-hypervisor", "echo 'cloud-hypervisor v53.0'");
        CheckResult r = run(Map.of("PATH", dir.toString()), Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        assertThat(r.detail()).startsWith("cloud-hypervisor v53.0");
    }

    @Test
    void envVarWinsAndANonExecutableIsAFailure() throws Exception {
        Path ch = script("my-ch", "echo 'cloud-hypervisor v54.0'");
        assertThat(run(Map.of("VIRTUALGHOST_CH_BINARY", ch.toString()), Duration.ofSeconds(5))
                        .detail())
                .startsWith("cloud-hypervisor v54.0");
        CheckResult r = run(Map.of("VIRTUALGHOST_CH_BINARY", dir.resolve("nope").toString()), Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("is not an executable file");
    }

    @Test
    void hangingBinaryFailsWithinTheTimeoutAndFailingOneReportsItsStatus() throws Exception {
        Path hang = script("hang", "exec sleep 30");
        long start = System.nanoTime();
        CheckResult r = run(Map.of("VIRTUALGHOST_CH_BINARY", hang.toString()), Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("did not finish within PT0.3S");
        Path broken = script("broken", "echo 'error: bad build' ; exit 3");
        CheckResult b = run(Map.of("VIRTUALGHOST_CH_BINARY", broken.toString()), Duration.ofSeconds(5));
        assertThat(b.detail()).contains("exited with 3: error: bad build");
    }
}
