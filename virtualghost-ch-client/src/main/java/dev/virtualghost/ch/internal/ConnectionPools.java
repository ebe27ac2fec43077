package dev.virtualghost.ch.internal;

import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool of every CH client, and the one place that decides whether OkHttp's internals may be used.
 *
 * <p>With the OkHttp this module was written and tested against ({@link #WRITTEN_FOR}, which
 * {@code virtualghost-bom} pins), the pool runs on {@link PollingTaskRunnerBackend}, so a warm call wakes no
 * helper thread. With any other OkHttp on the class path, whose internals may differ, the internal API is never
 * touched (the tuned pool lives in its own class, loaded only on a match): the client uses OkHttp's stock pool,
 * works the same, and pays about one extra thread wake per call; a warning says how to pin the version.
 * {@code OkHttpPinTest} fails the build when the resolved OkHttp differs. Stateless.
 */
public final class ConnectionPools {

    /** The OkHttp version whose internals {@link PollingTaskRunnerBackend} was written against. */
    public static final String WRITTEN_FOR = "5.5.1";

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPools.class);
    private static final boolean TUNED = tunedFor(OkHttp.VERSION);

    private ConnectionPools() {}

    /** True when OkHttp {@code version} is the one whose internals this module uses. */
    static boolean tunedFor(String version) {
        return WRITTEN_FOR.equals(version);
    }

    /** A new pool keeping up to 2 idle connections for 5 minutes: tuned on the pinned OkHttp, stock otherwise. */
    public static ConnectionPool create() {
        return create(TUNED);
    }

    static ConnectionPool create(boolean tuned) {
        if (tuned) {
            return TunedPool.create();
        }
        LOG.warn(
                "OkHttp {} is on the class path, not the {} virtualghost-ch-client was written for: using OkHttp's"
                        + " stock connection pool (about one extra thread wake per call); import dev.virtualghost:"
                        + "virtualghost-bom to pin OkHttp",
                OkHttp.VERSION,
                WRITTEN_FOR);
        return new ConnectionPool(2, 5, TimeUnit.MINUTES);
    }

    /** Holds the only references to OkHttp internals, so that they are resolved only when {@link #TUNED}. */
    private static final class TunedPool {
        static ConnectionPool create() {
            return new ConnectionPool(
                    2,
                    5,
                    TimeUnit.MINUTES,
                    PollingTaskRunnerBackend.RUNNER,
                    okhttp3.internal.connection.ConnectionListener.Companion.getNONE());
        }
    }
}
