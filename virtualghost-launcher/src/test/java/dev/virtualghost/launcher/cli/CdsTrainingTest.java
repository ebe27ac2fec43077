package dev.virtualghost.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CdsTraining}, the training run of {@code bin/virtualghost}'s AppCDS archive, in a child JVM: exits 0 and
 * loads what a cold {@code run} would otherwise load before its first VMM call (picocli's model and the API
 * client's stack), while touching nothing: its runtime directory stays empty. The archive itself needs the jar on
 * the class path (CDS refuses class directories), so {@code benchmarks/launcher/run.sh} checks the wrapper made one.
 * {@link Main#startsVmm} picks the commands that preload.
 */
class CdsTrainingTest {

    @Test
    void trainsPicocliAndTheClientStackAndTouchesNothing(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("classes.log");
        Path runtime = Files.createDirectory(dir.resolve("rt"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(
                        java.toString(),
                        "-Xlog:class+load=info:file=" + log,
                        "-cp",
                        System.getProperty("java.class.path"),
                        CdsTraining.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("VIRTUALGHOST_RUNTIME_DIR", runtime.toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.toString());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("training JVM exits").isTrue();

        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
        List<String> loaded = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(loaded)
                .anyMatch(l -> l.contains(" picocli.CommandLine "))
                .anyMatch(l -> l.contains(" dev.virtualghost.launcher.cli.RunCommand "))
                .anyMatch(l -> l.contains(" okhttp3.OkHttpClient "))
                .anyMatch(l -> l.contains(" org.newsclub.net.unix.NativeUnixSocket "))
                .anyMatch(l -> l.contains(" com.squareup.moshi.Moshi "));
        try (var left = Files.list(runtime)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void onlyCommandsThatStartAVmmPreload() {
        assertThat(Main.startsVmm(new String[] {"run", "--wait"})).isTrue();
        assertThat(Main.startsVmm(new String[] {"exec", "--", "ls"})).isTrue();
        assertThat(Main.startsVmm(new String[] {"shell"})).isTrue();
        assertThat(Main.startsVmm(new String[] {"doctor"})).isFalse();
        assertThat(Main.startsVmm(new String[] {"--help"})).isFalse();
        assertThat(Main.startsVmm(new String[0])).isFalse();
    }
}
