package dev.virtualghost.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Where {@code run}'s guest comes from: explicit files win; else the class-path artifact
 * ({@code virtualghost-guest/}, gzip-compressed as an artifact jar would carry it) fills the cache under
 * {@code XDG_CACHE_HOME}; the image's command line comes first, the user's after it.
 */
class GuestChoiceTest {
    @TempDir
    Path tmp;

    URLClassLoader artifact;
    final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    final byte[][] contents = new byte[3][];

    @BeforeEach
    void artifact() throws Exception {
        Path root = tmp.resolve("artifact");
        Path dir = Files.createDirectories(root.resolve(GuestChoice.CLASSPATH_PREFIX));
        String[] roles = {"kernel", "initramfs", "rootfs"};
        String[] files = {"vmlinuz", "initrd.img", "rootfs.ext4"};
        StringBuilder json = new StringBuilder(
                "{\"format\": 1, \"name\": \"cp\", \"cmdline\": \"console=ttyS0\"," + " \"assets\": {");
        Random random = new Random(3);
        for (int i = 0; i < 3; i++) {
            contents[i] = new byte[20_000 + i];
            random.nextBytes(contents[i]);
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(files[i] + ".gz")))) {
                out.write(contents[i]);
            }
            String sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(contents[i]));
            json.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(roles[i])
                    .append("\": {\"file\": \"")
                    .append(files[i])
                    .append("\", \"source\": \"")
                    .append(files[i])
                    .append(".gz\", \"size\": ")
                    .append(contents[i].length)
                    .append(", \"sha256\": \"")
                    .append(sha)
                    .append("\"}");
        }
        Files.writeString(dir.resolve("manifest.json"), json.append("}}"), StandardCharsets.UTF_8);
        artifact = new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }

    private ConfigLayers layers(String... flags) throws Exception {
        Path config = tmp.resolve("empty.toml");
        Files.writeString(config, "");
        LaunchOptions o = new LaunchOptions();
        String[] all = new String[flags.length + 2];
        all[0] = "--config";
        all[1] = config.toString();
        System.arraycopy(flags, 0, all, 2, flags.length);
        new CommandLine(o).parseArgs(all);
        return ConfigLayers.load(o, Map.of());
    }

    private GuestChoice resolve(ClassLoader loader, String... flags) throws Exception {
        return GuestChoice.resolve(
                layers(flags),
                Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString()),
                loader,
                new PrintStream(progress, true, StandardCharsets.UTF_8),
                false);
    }

    @Test
    void theClassPathArtifactFillsTheCacheAndItsCmdlineComesFirst() throws Exception {
        GuestChoice g = resolve(artifact, "--cmdline", "quiet");

        Path cache = tmp.resolve("cache/virtualghost/guest");
        assertThat(List.of(g.kernel(), g.initramfs(), g.rootfs()))
                .allSatisfy(p -> assertThat(p).startsWith(cache));
        assertThat(g.kernel()).hasBinaryContent(contents[0]);
        assertThat(g.rootfs()).hasBinaryContent(contents[2]);
        assertThat(g.cmdline()).isEqualTo("console=ttyS0 quiet");
        assertThat(g.origins()).contains(g.kernel() + " (fetched from classpath:virtualghost-guest/)");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("fetching guest rootfs.ext4", "verified");

        GuestChoice again = resolve(artifact);
        assertThat(again.origins()).contains(g.rootfs() + " (already cached)");
        assertThat(again.cmdline()).isEqualTo("console=ttyS0");
    }

    @Test
    void anExplicitKernelWinsOverTheArtifact() throws Exception {
        GuestChoice g = resolve(artifact, "--kernel", "k", "--rootfs", "r");

        assertThat(g.kernel()).isEqualTo(Path.of("k").toAbsolutePath());
        assertThat(g.initramfs()).isNull();
        assertThat(g.origins())
                .containsExactly(
                        Path.of("k").toAbsolutePath() + " (from command line --kernel)",
                        Path.of("r").toAbsolutePath() + " (from command line --rootfs)");
        assertThat(tmp.resolve("cache")).doesNotExist();
    }

    @Test
    void withoutKernelArtifactOrUrlItSaysWhatToPass() {
        ClassLoader empty = new URLClassLoader(new URL[0], null);

        assertThatThrownBy(() -> resolve(empty))
                .isInstanceOf(CliUsageException.class)
                .hasMessageContaining("--kernel FILE")
                .hasMessageContaining("--guest-url URL")
                .hasMessageContaining("docs/guest.md");
        assertThat(tmp.resolve("cache")).doesNotExist();
    }
}
