package dev.virtualghost.launcher;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * The stack of undos a launch has registered, unwound in reverse order exactly once: on a failed step, on
 * {@code close()}, or from a shutdown hook, whichever comes first.
 *
 * <p>Every undo has a deadline (a default, or its own): an undo still running when its deadline passes is left
 * to finish on its daemon thread, recorded as failed with a {@link TimeoutException}, and the next undo starts, so
 * one hung release (a VMM that ignores its API) cannot keep the GPU from being restored. A listener that throws
 * is ignored.
 *
 * <p>Thread-safe: a shutdown hook may unwind while the launching thread is still pushing; a push after the
 * stack was unwound runs its undo at once, so nothing acquired late is leaked.
 */
public final class Undos {
    /** The deadline of an undo pushed without one. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    private final Deque<Entry> stack = new ArrayDeque<>();
    private final LaunchListener listener;
    private boolean unwound;

    Undos(LaunchListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener == null");
    }

    /**
     * Registers the undo of something just acquired, with the {@linkplain #DEFAULT_DEADLINE default deadline}.
     *
     * @param name what is undone, e.g. {@code "restore 0000:01:00.0 to nvidia"}
     * @param undo the action
     */
    public void push(String name, Undo undo) {
        push(name, DEFAULT_DEADLINE, undo);
    }

    /**
     * Registers the undo of something just acquired.
     *
     * @param name what is undone
     * @param deadline how long the undo may take before the next one starts
     * @param undo the action
     */
    public void push(String name, Duration deadline, Undo undo) {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(undo, "undo == null");
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("undo deadline must be positive: " + deadline);
        }
        Entry entry = new Entry(name, deadline, undo);
        boolean runNow;
        synchronized (this) {
            runNow = unwound;
            if (!runNow) {
                stack.push(entry);
            }
        }
        if (runNow) {
            Throwable failure = runOne(entry);
            if (failure != null) {
                throw new IllegalStateException(
                        "launch already unwound; ran late undo '" + name + "': " + failure.getMessage(), failure);
            }
        }
    }

    /**
     * Returns how many undos are waiting.
     *
     * @return the number of undos registered and not yet run
     */
    public synchronized int size() {
        return stack.size();
    }

    /**
     * Returns the names of the waiting undos, newest first.
     *
     * @return an immutable snapshot of the names
     */
    public synchronized List<String> names() {
        return stack.stream().map(Entry::name).toList();
    }

    /**
     * Runs every registered undo, newest first, once; later calls do nothing.
     *
     * @return the failures of individual undos (each already reported to the listener), empty when all ran clean
     */
    public List<Throwable> unwind() {
        List<Entry> entries;
        synchronized (this) {
            if (unwound) {
                return List.of();
            }
            unwound = true;
            entries = List.copyOf(stack);
            stack.clear();
        }
        List<Throwable> failures = new ArrayList<>();
        for (Entry e : entries) {
            Throwable failure = runOne(e);
            if (failure != null) {
                failures.add(failure);
            }
        }
        return failures;
    }

    private Throwable runOne(Entry e) {
        Listeners.safely(() -> listener.undoStarted(e.name));
        Throwable[] outcome = new Throwable[1];
        Thread worker = new Thread(
                () -> {
                    try {
                        e.undo.run();
                    } catch (Throwable t) {
                        outcome[0] = t;
                    }
                },
                "virtualghost-undo " + e.name);
        worker.setDaemon(true);
        worker.start();
        boolean interrupted = false;
        long deadline = System.nanoTime() + e.deadline.toNanos();
        while (worker.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                worker.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException ie) {
                // Unwinding must finish: remember the interrupt, keep waiting for this undo's deadline.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failure;
        if (worker.isAlive()) {
            failure = new TimeoutException("undo '" + e.name + "' did not finish within " + e.deadline);
        } else {
            synchronized (outcome) {
                failure = outcome[0];
            }
        }
        Throwable reported = failure;
        if (reported == null) {
            Listeners.safely(() -> listener.undoSucceeded(e.name));
        } else {
            Listeners.safely(() -> listener.undoFailed(e.name, reported));
        }
        return failure;
    }

    private record Entry(String name, Duration deadline, Undo undo) {}
}
