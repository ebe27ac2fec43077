package dev.virtualghost.ch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.ch.testkit.junit.CloudHypervisorCondition;
import dev.virtualghost.ch.testkit.junit.RequiresCloudHypervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/** The shared lookup of the real binary. */
class CloudHypervisorBinaryTest {
    @Test
    void missingReasonSaysWhatToSet() {
        assertThat(CloudHypervisorBinary.missingReason()).contains("VIRTUALGHOST_CH_BINARY", "virtualghost.shared.dir");
    }

    @Test
    void sharedDirFollowsTheProperty() {
        String old = System.getProperty(CloudHypervisorBinary.SHARED_DIR_PROPERTY);
        try {
            System.setProperty(CloudHypervisorBinary.SHARED_DIR_PROPERTY, "/nonexistent/shared");
            assertThat(CloudHypervisorBinary.sharedDir()).contains(Path.of("/nonexistent/shared"));
            if (System.getenv(CloudHypervisorBinary.ENV_BINARY) == null) {
                assertThat(CloudHypervisorBinary.find()).isEmpty();
                assertThat(CloudHypervisorBinary.missingReason()).contains("/nonexistent/shared/ch/cloud-hypervisor");
            }
        } finally {
            if (old == null) {
                System.clearProperty(CloudHypervisorBinary.SHARED_DIR_PROPERTY);
            } else {
                System.setProperty(CloudHypervisorBinary.SHARED_DIR_PROPERTY, old);
            }
        }
    }

    @Test
    void conditionSkipsOrFailsWhenStrict() {
        String oldDir = System.getProperty(CloudHypervisorBinary.SHARED_DIR_PROPERTY);
        String oldStrict = System.getProperty(CloudHypervisorCondition.STRICT_PROPERTY);
        org.junit.jupiter.api.Assumptions.assumeTrue(
                System.getenv(CloudHypervisorBinary.ENV_BINARY) == null,
                "VIRTUALGHOST_CH_BINARY is set: the missing-binary path cannot be reached");
        try {
            System.setProperty(CloudHypervisorBinary.SHARED_DIR_PROPERTY, "/nonexistent/shared");
            System.setProperty(CloudHypervisorCondition.STRICT_PROPERTY, "false");
            ConditionEvaluationResult r = new CloudHypervisorCondition().evaluateExecutionCondition(null);
            assertThat(r.isDisabled()).isTrue();
            assertThat(r.getReason()).hasValueSatisfying(m -> assertThat(m).contains("no real cloud-hypervisor"));
            System.setProperty(CloudHypervisorCondition.STRICT_PROPERTY, "true");
            assertThatThrownBy(() -> new CloudHypervisorCondition().evaluateExecutionCondition(null))
                    .hasMessageContaining("no real cloud-hypervisor")
                    .hasMessageContaining("virtualghost.it.strict=true");
        } finally {
            restore(CloudHypervisorBinary.SHARED_DIR_PROPERTY, oldDir);
            restore(CloudHypervisorCondition.STRICT_PROPERTY, oldStrict);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    @RequiresCloudHypervisor
    void findsTheBinaryAndChRemote() {
        Path ch = CloudHypervisorBinary.find().orElseThrow();
        assertThat(Files.isExecutable(ch)).isTrue();
        assertThat(ch.getFileName().toString()).isEqualTo("cloud-hypervisor");
        assertThat(CloudHypervisorBinary.findChRemote())
                .hasValueSatisfying(p -> assertThat(Files.isExecutable(p)).isTrue());
    }
}
