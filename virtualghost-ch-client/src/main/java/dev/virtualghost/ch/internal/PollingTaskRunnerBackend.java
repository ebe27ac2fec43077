package dev.virtualghost.ch.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import okhttp3.internal.concurrent.TaskRunner;

/**
 * An OkHttp {@link TaskRunner.Backend} whose coordinator polls (at most every {@link #MAX_WAIT_MILLIS}) instead of
 * being woken each time a task is rescheduled.
 *
 * <p>Why: OkHttp's connection pool reschedules its idle-connection closer every time a connection returns to the
 * pool, and the stock backend wakes the coordinator thread for it: one or two context switches on every call of a
 * client that makes one call at a time on a kept-alive connection (measured, see {@code docs/benchmarks.md}). The
 * closer only evicts connections idle for minutes, so running it up to a second late changes nothing. This uses
 * OkHttp's {@code internal.concurrent} API: {@link ConnectionPools} uses it only on the OkHttp it was written for
 * ({@link ConnectionPools#WRITTEN_FOR}, pinned by {@code virtualghost-bom}); {@code OkHttpPinTest} fails if the
 * resolved OkHttp differs and {@code WarmCallThreadsTest} if an upgrade changes what it relies on.
 *
 * <p>Thread-safe; the JVM-wide {@link #RUNNER} uses daemon threads that exit after a minute idle.
 */
public final class PollingTaskRunnerBackend implements TaskRunner.Backend {

    static final long MAX_WAIT_MILLIS = 1000;

    /** The runner for every CH client's connection pool. */
    public static final TaskRunner RUNNER =
            new TaskRunner(new PollingTaskRunnerBackend(), Logger.getLogger(TaskRunner.class.getName()));

    private final ThreadPoolExecutor executor =
            new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "virtualghost-ch-pool");
                t.setDaemon(true);
                return t;
            });

    private PollingTaskRunnerBackend() {}

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void coordinatorNotify(TaskRunner taskRunner) {
        // Deliberately nothing: the coordinator re-checks its queues within MAX_WAIT_MILLIS.
    }

    @Override
    public void coordinatorWait(TaskRunner taskRunner, long nanos) {
        if (nanos <= 0) {
            return;
        }
        long millis = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(nanos), MAX_WAIT_MILLIS));
        try {
            // The caller holds the runner's monitor (OkHttp's Lockable is `synchronized (this)`), as Object.wait needs.
            taskRunner.wait(millis);
        } catch (InterruptedException e) {
            // Only this class owns these threads and never interrupts them. Re-asserting the flag would make every
            // later wait throw at once and spin the coordinator, so the interrupt ends this wait and nothing more.
        }
    }

    @Override
    public <T> BlockingQueue<T> decorate(BlockingQueue<T> queue) {
        return queue;
    }

    @Override
    public void execute(TaskRunner taskRunner, Runnable runnable) {
        executor.execute(runnable);
    }
}
