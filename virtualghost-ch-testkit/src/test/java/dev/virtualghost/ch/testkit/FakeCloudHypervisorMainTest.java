package dev.virtualghost.ch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in binary behaves like {@code cloud-hypervisor} at the command line: clap-style rejection of
 * unknown flags (exit 2), {@code --version} text, and a start-up failure (exit 1) while another live VMM holds
 * the socket's lock. Each case is a real child JVM started through {@link FakeCloudHypervisor#installLauncher}.
 */
class FakeCloudHypervisorMainTest {
    @TempDir
    static Path bin;

    @TempDir
    Path dir;

    private static Path launcher;

    @BeforeAll
    static void install() {
        launcher = FakeCloudHypervisor.installLauncher(bin);
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("fake CH exited").isTrue();
            return new Result(
                    p.exitValue(),
                    new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                    new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void versionPrintsChStyleText() throws Exception {
        Result r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout().trim()).matches("cloud-hypervisor v\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void unknownFlagIsRejectedLikeClap() throws Exception {
        Result r = run("--api-socket", "path=" + dir.resolve("a.sock"), "--frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("error: unexpected argument '--frobnicate' found", "Usage: cloud-hypervisor");
    }

    @Test
    void serialWithoutKernelIsRefusedLikeCh54() throws Exception {
        Result r = run("--api-socket", "path=" + dir.resolve("a.sock"), "--serial", "file=/x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr())
                .contains(
                        "error: the following required arguments were not provided:",
                        "<--firmware <firmware>|--kernel <kernel>>");
    }

    @Test
    void refusesToStartWhileALiveVmmHoldsTheLock() throws Exception {
        Path socket = dir.resolve("api.sock");
        try (FakeCloudHypervisor holder =
                FakeCloudHypervisor.builder().socket(socket).start()) {
            Result r = run(
                    "--api-socket",
                    "path=" + socket,
                    "--log-file",
                    dir.resolve("ch.log").toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.stderr()).contains("Error starting VMM", "another VMM");
            assertThat(RawHttp.get(holder.socket(), "vmm.ping").status())
                    .as("holder still serves")
                    .isEqualTo(200);
        }
    }
}
