package dev.virtualghost.launcher.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestManifestTest {

    private static final String SHA = "a".repeat(64);

    private static byte[] manifest(String kernelFile, String sha, Object format) {
        return ("{\"format\": " + format + ", \"cmdline\": \"console=ttyS0\", \"assets\": {"
                        + "\"kernel\": {\"file\": \"" + kernelFile + "\", \"size\": 10, \"sha256\": \"" + sha + "\"},"
                        + "\"initramfs\": {\"file\": \"initrd.img\", \"source\": \"initrd.img.gz\", \"size\": 20, \"sha256\": \""
                        + SHA + "\"},"
                        + "\"rootfs\": {\"file\": \"rootfs.ext4\", \"size\": 30, \"sha256\": \"" + SHA.toUpperCase()
                        + "\"}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsRolesSizesDigestsAndCmdline() {
        GuestManifest m = GuestManifest.parse(manifest("vmlinuz", SHA, 1));
        assertThat(m.cmdline()).isEqualTo("console=ttyS0");
        assertThat(m.assets()).containsOnlyKeys("kernel", "initramfs", "rootfs");
        assertThat(m.asset("kernel").orElseThrow().file()).isEqualTo("vmlinuz");
        assertThat(m.asset("kernel").orElseThrow().gzipped()).isFalse();
        assertThat(m.asset("initramfs").orElseThrow().gzipped()).isTrue();
        assertThat(m.asset("rootfs").orElseThrow().size()).isEqualTo(30);
        assertThat(m.asset("rootfs").orElseThrow().sha256()).isEqualTo(SHA);
        assertThat(m.sha256()).hasSize(64);
    }

    @Test
    void readsWhatTheFixtureWritesLikeBuildImageSh(@TempDir Path dir) throws Exception {
        ImageFixture f = new ImageFixture(dir, false);
        GuestManifest m = GuestManifest.parse(f.manifest);
        assertThat(m.asset("rootfs").orElseThrow().size()).isEqualTo(f.contents.get("rootfs").length);
    }

    @Test
    void refusesFileNamesThatLeaveTheCacheDirectory() {
        assertThatThrownBy(() -> GuestManifest.parse(manifest("../../etc/passwd", SHA, 1)))
                .isInstanceOf(AssetException.class)
                .hasMessageContaining("kernel.file is not a plain file name");
    }

    @Test
    void refusesMalformedDigestsUnknownFormatsAndNonJson() {
        assertThatThrownBy(() -> GuestManifest.parse(manifest("vmlinuz", "abc", 1)))
                .isInstanceOf(AssetException.class)
                .hasMessageContaining("kernel.sha256 is not 64");
        assertThatThrownBy(() -> GuestManifest.parse(manifest("vmlinuz", SHA, 2)))
                .isInstanceOf(AssetException.class)
                .hasMessageContaining("reads format 1");
        assertThatThrownBy(() -> GuestManifest.parse("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AssetException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(
                        () -> GuestManifest.parse("{\"format\": 1, \"assets\": {}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AssetException.class)
                .hasMessageContaining("no assets.kernel");
    }
}
