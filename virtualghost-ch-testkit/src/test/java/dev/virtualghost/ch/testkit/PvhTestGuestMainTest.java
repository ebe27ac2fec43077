package dev.virtualghost.ch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PvhTestGuestMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return PvhTestGuestMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesTheGuestTheFlagsDescribe() {
        Path file = dir.resolve("guest.elf");
        int status = run(
                "--mode",
                "power-off-after-delay",
                "--delay",
                "1500ms",
                "--line",
                "hello",
                "--line",
                "bye",
                file.toString());

        assertThat(status).isZero();
        PvhTestGuest guest = PvhTestGuest.read(file).orElseThrow();
        assertThat(guest.mode()).isEqualTo(PvhTestGuest.Mode.POWER_OFF_AFTER_DELAY);
        assertThat(guest.powerOffDelay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(guest.lines()).containsExactly("hello", "bye");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote " + file);
    }

    @Test
    void unknownModeIsOneLineAndExit2WithNoFile() {
        Path file = dir.resolve("guest.elf");
        assertThat(run("--mode", "explode", file.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .startsWith("error: unknown mode 'explode'")
                .doesNotContain("\n")
                .doesNotContain("Exception");
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void missingOutputOrValueIsAUsageError() {
        assertThat(run("--mode", "halt")).isEqualTo(2);
        assertThat(run("--line")).isEqualTo(2);
        assertThat(run("--delay", "soon", dir.resolve("x").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("no output file given", "--line needs a value", "cannot read the delay 'soon'");
    }
}
