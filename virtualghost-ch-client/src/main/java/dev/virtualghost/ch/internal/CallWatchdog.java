package dev.virtualghost.ch.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces per-call deadlines by cancelling calls that outlive them, from one daemon thread that polls every
 * {@link #TICK_NANOS} while calls are in flight and parks when none have been for a while.
 *
 * <p>Why not OkHttp's {@code Call.timeout()}: it is an okio {@code AsyncTimeout}, whose watchdog thread is
 * signalled on every call that becomes the earliest deadline, i.e. on every call of a client that makes one call at
 * a time. On a 2-core host that hand-off costs a context switch per call (measured: about one extra switch per warm
 * {@code vmm.ping}, see {@code docs/benchmarks.md}). Polling costs one wake per tick instead, and a CH deadline
 * (seconds to minutes) does not need better than {@link #TICK_NANOS} precision.
 *
 * <p>Thread-safe. The thread is shared by every client in the JVM and never needs closing.
 */
public final class CallWatchdog {

    /** Polling period while calls are in flight: the precision of every deadline. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** How long the thread keeps polling after the last call before it parks until the next one. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** The JVM-wide instance. */
    public static final CallWatchdog INSTANCE = new CallWatchdog();

    private final Map<Watch, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean parked;

    private CallWatchdog() {
        thread = new Thread(this::run, "virtualghost-ch-deadlines");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts watching a call: {@code onExpiry} runs on the watchdog thread once the deadline has passed, unless
     * the returned watch is closed first.
     */
    public Watch watch(long timeoutNanos, Runnable onExpiry) {
        Watch w = new Watch(System.nanoTime() + timeoutNanos, onExpiry);
        inFlight.put(w, Boolean.TRUE);
        if (parked) {
            LockSupport.unpark(thread);
        }
        return w;
    }

    private void run() {
        long idleSince = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (inFlight.isEmpty()) {
                if (now - idleSince > LINGER_NANOS) {
                    parked = true;
                    // Re-check after publishing `parked`: a watch added in between has seen it and unparks us.
                    if (inFlight.isEmpty()) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                    continue;
                }
            } else {
                idleSince = now;
                for (Watch w : inFlight.keySet()) {
                    if (now - w.deadline >= 0 && inFlight.remove(w) != null) {
                        w.expire();
                    }
                }
            }
            LockSupport.parkNanos(this, TICK_NANOS);
        }
    }

    /** One watched call; {@link #close()} when the call ends, whatever its outcome. */
    public final class Watch implements AutoCloseable {
        private final long deadline;
        private final Runnable onExpiry;
        private volatile boolean expired;

        private Watch(long deadline, Runnable onExpiry) {
            this.deadline = deadline;
            this.onExpiry = onExpiry;
        }

        private void expire() {
            expired = true;
            onExpiry.run();
        }

        /** Whether the deadline passed and {@code onExpiry} ran. */
        public boolean expired() {
            return expired;
        }

        @Override
        public void close() {
            inFlight.remove(this);
        }
    }
}
