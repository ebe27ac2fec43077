package dev.virtualghost.ch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fake {@code cloud-hypervisor} refuses the command lines the real one refuses, among the flags it models,
 * with the same exit status and the same clap message on stderr (paths aside).
 */
@RequiresCloudHypervisor
class CommandLineFidelityIT {
    @TempDir
    static Path bin;

    @TempDir
    Path dir;

    private static Path fake;

    @BeforeAll
    static void install() {
        fake = FakeCloudHypervisor.installLauncher(bin);
    }

    private record Outcome(int exit, String stderr) {}

    private Outcome run(Path binary, String args) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        for (String a : args.split(" ")) {
            command.add(a.replace("DIR", dir.toString()));
        }
        Process p = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s exits", binary).isTrue();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Outcome(p.exitValue(), err.replace(dir.toString(), "DIR"));
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--api-socket path=DIR/a.sock --serial file=DIR/serial",
                "--api-socket path=DIR/a.sock --console off",
                "--api-socket path=DIR/a.sock --log-file DIR/log --serial tty",
                "--api-socket path=DIR/a.sock --frobnicate",
                "--api-socket",
                "--api-socket path=DIR/a.sock --event-monitor",
                "--api-socket path=DIR/a.sock --log-file",
            })
    void refusedAsTheRealVmmRefusesIt(String args) throws Exception {
        Outcome real = run(CloudHypervisorBinary.find().orElseThrow(), args);
        Outcome simulated = run(fake, args);
        assertThat(real.exit()).as("the real CH refuses it").isEqualTo(2);
        assertThat(simulated).isEqualTo(real);
    }
}
