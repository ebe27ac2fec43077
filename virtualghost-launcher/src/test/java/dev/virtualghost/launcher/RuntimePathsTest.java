package dev.virtualghost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimePathsTest {
    private final Path home = Path.of("/home/ada");

    @Test
    void explicitDirectoryWins() {
        assertThat(RuntimePaths.from(
                                Map.of("VIRTUALGHOST_RUNTIME_DIR", "/srv/vg", "XDG_RUNTIME_DIR", "/run/user/1"),
                                true,
                                home)
                        .vfioJournals())
                .isEqualTo(Path.of("/srv/vg/vfio"));
    }

    @Test
    void rootUsesRunAndUsersTheirRuntimeDirThenTheirCache() {
        assertThat(RuntimePaths.from(Map.of(), true, home).root()).isEqualTo(Path.of("/run/virtualghost"));
        assertThat(RuntimePaths.from(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), false, home)
                        .root())
                .isEqualTo(Path.of("/run/user/1000/virtualghost"));
        assertThat(RuntimePaths.from(Map.of(), false, home).root())
                .isEqualTo(Path.of("/home/ada/.cache/virtualghost/run"));
    }
}
