package dev.virtualghost.vfio.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one blocking I/O action on a fresh daemon thread and waits for it at most a given time. Needed because a
 * sysfs write can block in the kernel without limit: a driver's {@code unbind} runs the driver's remove callback,
 * and vfio-pci's remove waits until every user of the device has closed its fd (vfio_unregister_group_dev in
 * drivers/vfio/vfio_main.c logs "Device is currently in use, task ... blocked until device is released"). Such a
 * thread cannot be interrupted out of the kernel, so on expiry it is abandoned; being a daemon, it never keeps the
 * JVM alive. Stateless and thread-safe.
 */
public final class BoundedCall {

    /** A blocking action that may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    private BoundedCall() {}

    /**
     * Runs {@code action} on a daemon thread named {@code threadName} and waits up to {@code limit} for it.
     *
     * @throws IOException          as thrown by the action
     * @throws TimeoutException     when the action did not return in time (its thread is left running)
     * @throws InterruptedException when the waiting thread is interrupted (the action's thread is left running)
     * @throws RuntimeException     or {@link Error} as thrown by the action, unwrapped
     */
    public static void run(String threadName, Duration limit, IoAction action)
            throws IOException, TimeoutException, InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        action.run();
                        done.complete(null);
                    } catch (Throwable e) {
                        done.completeExceptionally(e);
                    }
                },
                threadName);
        t.setDaemon(true);
        t.start();
        try {
            done.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }
}
