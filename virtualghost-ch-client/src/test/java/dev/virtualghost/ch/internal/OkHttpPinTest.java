package dev.virtualghost.ch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.ConnectionPool;
import okhttp3.OkHttp;
import org.junit.jupiter.api.Test;

/**
 * The OkHttp on the class path is the one whose internals {@link PollingTaskRunnerBackend} was written for (the
 * BOM pins it), and any other version gets OkHttp's stock pool instead of touching internals.
 */
class OkHttpPinTest {

    @Test
    void resolvedOkHttpIsTheVersionTheBackendWasWrittenFor() {
        assertThat(OkHttp.VERSION)
                .as("okhttp3.OkHttp.VERSION; update PollingTaskRunnerBackend, "
                        + "ConnectionPools.WRITTEN_FOR and the BOM together")
                .isEqualTo(ConnectionPools.WRITTEN_FOR);
        assertThat(ConnectionPools.tunedFor(OkHttp.VERSION)).isTrue();
    }

    @Test
    void anotherOkHttpVersionGetsTheStockPoolNotTheInternals() {
        assertThat(ConnectionPools.tunedFor("5.6.0")).isFalse();
        assertThat(ConnectionPools.tunedFor("4.12.0")).isFalse();
        ConnectionPool stock = ConnectionPools.create(false);
        assertThat(stock.connectionCount()).isZero();
        stock.evictAll();
    }
}
