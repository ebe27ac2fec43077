package dev.virtualghost.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.launcher.LaunchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Precedence CLI > env > file > default, sources as {@code config --show} prints them, and {@code --init}. */
class ConfigLayersTest {
    @TempDir
    Path tmp;

    private LaunchOptions flags(String... args) {
        LaunchOptions o = new LaunchOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void eachKeyComesFromTheHighestLayerThatSetsIt() throws Exception {
        Path file = Files.writeString(
                tmp.resolve("c.toml"), "kernel = \"/file/vmlinux\"\nvcpus = 4\nmemory = \"2G\"\ntimeout = \"30s\"\n");
        Map<String, String> env = Map.of("VIRTUALGHOST_VCPUS", "6", "VIRTUALGHOST_MEMORY", "3G");
        ConfigLayers layers = ConfigLayers.load(flags("--config", file.toString(), "--memory", "512M"), env);

        LaunchSpec spec = layers.toSpec(false);
        assertThat(spec.kernel()).isEqualTo(Path.of("/file/vmlinux"));
        assertThat(spec.vcpus()).isEqualTo(6);
        assertThat(spec.memoryBytes()).isEqualTo(512L << 20);
        assertThat(spec.launchTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));

        Map<String, ConfigLayers.Value> all = layers.all();
        assertThat(all.get("kernel").source()).isEqualTo(file + " line 1");
        assertThat(all.get("vcpus").source()).isEqualTo("environment VIRTUALGHOST_VCPUS");
        assertThat(all.get("memory").source()).isEqualTo("command line --memory");
        assertThat(all.get("shutdown-grace").source()).isEqualTo("default");
        assertThat(all.get("gpu").source()).isEqualTo("unset");
    }

    @Test
    void aBadEnvironmentValueNamesTheVariable() {
        ConfigLayers layers = ConfigLayers.load(
                flags("--kernel", "/k"), Map.of("VIRTUALGHOST_VCPUS", "many", "XDG_CONFIG_HOME", tmp.toString()));
        assertThatThrownBy(() -> layers.toSpec(false))
                .hasMessage("vcpus from environment VIRTUALGHOST_VCPUS: 'many' is not a whole number");
    }

    @Test
    void anExplicitConfigFileMustExist() {
        assertThatThrownBy(() -> ConfigLayers.load(
                        flags("--config", tmp.resolve("nope.toml").toString()), Map.of()))
                .hasMessageContaining("does not exist; create one with 'virtualghost config --init'");
    }

    @Test
    void initWritesACommentedDefaultThatParsesAndShowPrintsSources() throws Exception {
        CliRun cli = new CliRun();
        Path file = tmp.resolve("xdg/virtualghost/config.toml");
        assertThat(cli.run("config", "--init", "--config", file.toString())).isZero();
        assertThat(file).exists();
        assertThat(cli.run("config", "--init", "--config", file.toString())).isEqualTo(2);
        assertThat(cli.err.toString()).contains("already exists");

        CliRun show = new CliRun();
        assertThat(show.run("config", "--show", "--config", file.toString(), "--vcpus", "8"))
                .isZero();
        assertThat(show.out.toString())
                .containsPattern("vcpus\\s+= 8\\s+# command line --vcpus")
                .containsPattern("memory\\s+= 1G\\s+# " + java.util.regex.Pattern.quote(file.toString()) + " line 16")
                .containsPattern("kernel\\s+= \\(unset\\)\\s+# unset")
                .containsPattern("guest-url\\s+= \\(unset\\)\\s+# unset");
    }
}
