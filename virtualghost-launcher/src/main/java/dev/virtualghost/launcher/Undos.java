package dev.virtualghost.launcher;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The stack of undos a launch has registered, unwound in reverse order exactly once: on a failed step, on
 * {@code close()}, or from a shutdown hook, whichever comes first.
 *
 * <p>Thread-safe: a shutdown hook may unwind while the launching thread is still pushing; a push after the
 * stack was unwound runs its undo at once, so nothing acquired late is leaked.
 */
public final class Undos {
    private final Deque<Entry> stack = new ArrayDeque<>();
    private final LaunchListener listener;
    private boolean unwound;

    Undos(LaunchListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener == null");
    }

    /**
     * Registers the undo of something just acquired.
     *
     * @param name what is undone, e.g. {@code "restore 0000:01:00.0 to nvidia"}
     * @param undo the action
     */
    public void push(String name, Undo undo) {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(undo, "undo == null");
        boolean runNow;
        synchronized (this) {
            runNow = unwound;
            if (!runNow) {
                stack.push(new Entry(name, undo));
            }
        }
        if (runNow) {
            Exception failure = runOne(new Entry(name, undo));
            if (failure != null) {
                throw new IllegalStateException("launch already unwound; ran late undo '" + name + "': "
                        + failure.getMessage(), failure);
            }
        }
    }

    /** Returns how many undos are waiting. */
    public synchronized int size() {
        return stack.size();
    }

    /**
     * Runs every registered undo, newest first, once; later calls do nothing.
     *
     * @return the failures of individual undos (each already reported to the listener), empty when all ran clean
     */
    public java.util.List<Exception> unwind() {
        java.util.List<Entry> entries;
        synchronized (this) {
            if (unwound) {
                return java.util.List.of();
            }
            unwound = true;
            entries = java.util.List.copyOf(stack);
            stack.clear();
        }
        java.util.List<Exception> failures = new java.util.ArrayList<>();
        for (Entry e : entries) {
            Exception failure = runOne(e);
            if (failure != null) {
                failures.add(failure);
            }
        }
        return failures;
    }

    private Exception runOne(Entry e) {
        listener.undoStarted(e.name);
        try {
            e.undo.run();
            listener.undoSucceeded(e.name);
            return null;
        } catch (Exception ex) {
            listener.undoFailed(e.name, ex);
            return ex;
        }
    }

    private record Entry(String name, Undo undo) {
    }
}
