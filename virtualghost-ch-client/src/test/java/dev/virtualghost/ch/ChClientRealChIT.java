package dev.virtualghost.ch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VmInfo;
import dev.virtualghost.ch.model.VmState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link ChClient} against the REAL {@code cloud-hypervisor}: typed {@link VmState}, the optional form of
 * {@code vm.info} on a VMM without a VM, and per-endpoint timeouts set through {@link ChProcess.Builder}.
 */
class ChClientRealChIT {

    @Test
    void infoIfCreatedIsEmptyWithoutAVmAndTypedOnceCreated() {
        try (ChProcess ch = ChProcess.builder().binary(RealCh.binary()).start()) {
            assertThat(ch.client().infoIfCreated()).isEmpty();
            assertThatThrownBy(() -> ch.client().info())
                    .isInstanceOf(ChApiException.class)
                    .hasMessageContaining("VM is not created");
            // CH only reads the kernel at boot, so create works without a real one.
            ch.client()
                    .create(VmConfig.builder()
                            .payload(PayloadConfig.ofKernel("/nonexistent-kernel", null))
                            .build());
            VmInfo info = ch.client().infoIfCreated().orElseThrow();
            assertThat(info.state()).isEqualTo(VmState.CREATED);
            ch.client().delete();
            assertThat(ch.client().infoIfCreated()).isEmpty();
        }
    }

    @Test
    void perEndpointTimeoutsGoThroughChProcessBuilderAndDefaultsMatchChClient() {
        try (ChProcess ch = ChProcess.builder()
                .binary(RealCh.binary())
                .callTimeout("vm.boot", Duration.ofMinutes(9))
                .start()) {
            assertThat(ch.client().timeoutFor("vm.boot")).isEqualTo(Duration.ofMinutes(9));
            assertThat(ch.client().timeoutFor("vm.info")).isEqualTo(ChClientBuilder.DEFAULT_CALL_TIMEOUT);
            assertThat(ch.client().timeoutFor("vm.create")).isEqualTo(ChClientBuilder.DEFAULT_LONG_CALL_TIMEOUT);
        }
        assertThatThrownBy(() -> ChProcess.builder().callTimeout("/vm.boot", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a leading slash");
    }
}
