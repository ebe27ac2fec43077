package dev.virtualghost.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code virtualghost --version} is answered before picocli builds its model (start-up time), and says exactly
 * what picocli's own {@code --version} says. Runs {@link Main} in a real JVM, as {@code java -jar} does.
 */
class MainVersionTest {

    @Test
    void versionPrintsPicocliTextWithoutLoadingPicocli() throws Exception {
        CliRun picocli = new CliRun();
        assertThat(picocli.run("--version")).isZero();

        Result fast = runMain("-verbose:class", "--version");

        assertThat(fast.exit).isZero();
        List<String> printed =
                fast.stdout.lines().filter(l -> !l.startsWith("[")).toList();
        assertThat(printed).isEqualTo(picocli.out.toString().lines().toList());
        assertThat(fast.stdout.lines().filter(l -> l.contains("picocli."))).isEmpty();
    }

    @Test
    void anythingElseStillGoesThroughPicocli() throws Exception {
        assertThat(Main.isVersionRequest(new String[] {"-V"})).isTrue();
        assertThat(Main.isVersionRequest(new String[] {"--version", "doctor"})).isFalse();

        Result help = runMain("-verbose:class", "--help");

        assertThat(help.exit).isZero();
        assertThat(help.stdout).contains("Usage: virtualghost").contains("picocli.CommandLine");
    }

    private record Result(int exit, String stdout) {}

    private static Result runMain(String jvmFlag, String arg) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        jvmFlag,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        arg)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("java exits").isTrue();
        return new Result(p.exitValue(), out);
    }
}
