package dev.virtualghost.vsock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualghost.vsock.HybridVsockDialer;
import dev.virtualghost.vsock.ssh.GuestSsh;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every duration the vsock module takes goes through one check, with one message. */
class DurationsTest {

    @Test
    void zeroAndNegativeDurationsAreRefusedWithOneMessageEverywhere() {
        assertThatThrownBy(() -> HybridVsockDialer.builder().ackTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ackTimeout must be positive: PT0S");
        assertThatThrownBy(() -> GuestSsh.builder().connectTimeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout must be positive: PT-0.005S");
        assertThatThrownBy(() -> GuestSsh.builder().keepAlive(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("keepAlive == null");
        assertThat(Durations.positive(Duration.ofMillis(1), "x")).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void shownInSecondsWhenWhole() {
        assertThat(Durations.show(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(Durations.show(Duration.ofMillis(600))).isEqualTo("600 ms");
    }
}
