package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Without the property the spec is looked up beside the project root, not inside it. */
class SharedSpecTest {

    @Test
    void defaultIsSharedBesideTheProjectRoot() {
        assertThat(SharedSpec.file(null, Path.of("/work/project/virtualghost-ch-client")))
                .isEqualTo(Path.of("/work/shared/spec/cloud-hypervisor.yaml"));
    }

    @Test
    void propertyWins() {
        assertThat(SharedSpec.file("/elsewhere", Path.of("/work/project/virtualghost-ch-client")))
                .isEqualTo(Path.of("/elsewhere/spec/cloud-hypervisor.yaml"));
    }
}
