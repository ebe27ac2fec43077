package dev.virtualghost.ch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CH's own client, {@code ch-remote} (one real process per command, as shell users run it), drives the real
 * {@code cloud-hypervisor} and the fake through the same sequence: lifecycle, error chains, a VFIO device on a
 * host without {@code /dev/vfio}. What it prints and its exit codes must match, apart from pids, versions, paths,
 * ch-remote's log timestamps and the order of {@code device_tree} entries (a Rust HashMap in CH). The guest is the
 * {@link PvhTestGuest} in halt mode, booted by both.
 */
@RequiresCloudHypervisor
class ChRemoteComparisonIT {
    private static final List<String> SEQUENCE = List.of(
            "ping",
            "create vm.json",
            "boot",
            "info",
            "pause",
            "pause",
            "resume",
            "counters",
            "resize --cpus 1",
            "add-device path=/sys/bus/pci/devices/0000:00:1f.0/",
            "shutdown",
            "delete",
            "info",
            "shutdown-vmm");

    @TempDir
    Path dir;

    @Test
    void chRemotePrintsTheSameAgainstTheRealVmmAndTheFake() throws Exception {
        Path kernel = PvhTestGuest.builder()
                .serialLine("VIRTUALGHOST-CH-REMOTE")
                .mode(PvhTestGuest.Mode.HALT)
                .build()
                .writeTo(dir.resolve("guest.elf"));
        Path realDir = Files.createDirectory(dir.resolve("real"));
        Path fakeDir = Files.createDirectory(dir.resolve("fake"));
        List<String> real;
        Process ch = new ProcessBuilder(
                        CloudHypervisorBinary.find().orElseThrow().toString(),
                        "--api-socket",
                        "path=" + realDir.resolve("api.sock"))
                .redirectErrorStream(true)
                .redirectOutput(realDir.resolve("ch.log").toFile())
                .start();
        try {
            awaitSocket(realDir.resolve("api.sock"));
            real = drive(realDir, kernel);
            assertThat(ch.waitFor(10, TimeUnit.SECONDS))
                    .as("shutdown-vmm ends the real VMM")
                    .isTrue();
        } finally {
            ch.destroyForcibly().waitFor();
        }
        List<String> fake;
        try (FakeCloudHypervisor f = FakeCloudHypervisor.builder()
                .socket(fakeDir.resolve("api.sock"))
                .start()) {
            fake = drive(fakeDir, kernel);
            assertThat(f.awaitVmmShutdown(java.time.Duration.ofSeconds(5))).isTrue();
        }
        assertThat(Files.readString(realDir.resolve("serial"))).isEqualTo("VIRTUALGHOST-CH-REMOTE\n");
        assertThat(Files.readString(fakeDir.resolve("serial"))).isEqualTo("VIRTUALGHOST-CH-REMOTE\n");
        assertThat(String.join("\n", fake)).isEqualTo(String.join("\n", real));
    }

    private static List<String> drive(Path side, Path kernel) throws Exception {
        Files.writeString(
                side.resolve("vm.json"),
                "{\"payload\":{\"kernel\":\"" + kernel + "\"},"
                        + "\"cpus\":{\"boot_vcpus\":1,\"max_vcpus\":2},\"memory\":{\"size\":268435456},"
                        + "\"serial\":{\"mode\":\"File\",\"file\":\"" + side.resolve("serial")
                        + "\"},\"console\":{\"mode\":\"Off\"}}");
        Path chRemote = CloudHypervisorBinary.findChRemote().orElseThrow();
        List<String> out = new ArrayList<>();
        for (String step : SEQUENCE) {
            List<String> command = new ArrayList<>(List.of(
                    chRemote.toString(),
                    "--api-socket",
                    side.resolve("api.sock").toString()));
            command.addAll(List.of(step.split(" ")));
            Process p = new ProcessBuilder(command).directory(side.toFile()).start();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("ch-remote %s", step).isTrue();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            out.add("### " + step + " -> exit " + p.exitValue() + "\n" + normalize(stdout, side, kernel)
                    + "\n[stderr]\n" + normalize(stderr, side, kernel));
        }
        return out;
    }

    private static String normalize(String text, Path side, Path kernel) {
        return text.replace(kernel.toString(), "KERNEL")
                .replace(side.toString(), "DIR")
                .replaceAll("\"pid\":\\d+", "\"pid\":PID")
                .replaceAll("v?\\d+\\.\\d+\\.\\d+", "VERSION")
                .replaceAll("\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ", "[TIMESTAMP ")
                .replaceAll(",\"device_tree\":\\{.*}}", ",\"device_tree\":{...}}");
    }

    private static void awaitSocket(Path socket) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(socket).exists();
    }
}
