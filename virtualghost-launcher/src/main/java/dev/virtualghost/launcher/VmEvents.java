package dev.virtualghost.launcher;

import dev.virtualghost.ch.ChEvent;
import dev.virtualghost.ch.ChEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The VMM's events of one session ({@code vmm starting}, {@code vm booted}, {@code vm shutdown}, ...), kept in
 * order (at most {@value #CAPACITY}, the oldest dropped first) and awaitable. Thread-safe.
 */
public final class VmEvents implements ChEventListener {
    /** How many events are kept. */
    public static final int CAPACITY = 1000;

    private final List<ChEvent> events = new ArrayList<>();
    private final List<ChEventListener> forwards = new ArrayList<>();

    /** Creates an empty record that forwards to no one yet. */
    public VmEvents() {}

    /**
     * Also sends every event to {@code listener} (called on the event reader's thread).
     *
     * @param listener receives each event after it is recorded
     * @return this
     */
    public synchronized VmEvents forwardTo(ChEventListener listener) {
        forwards.add(Objects.requireNonNull(listener, "listener == null"));
        return this;
    }

    @Override
    public void onEvent(ChEvent event) {
        List<ChEventListener> targets;
        synchronized (this) {
            if (events.size() == CAPACITY) {
                events.remove(0);
            }
            events.add(event);
            targets = List.copyOf(forwards);
            notifyAll();
        }
        for (ChEventListener l : targets) {
            Listeners.safely(() -> l.onEvent(event));
        }
    }

    /**
     * The events so far, oldest first.
     *
     * @return an immutable snapshot of the events
     */
    public synchronized List<ChEvent> list() {
        return List.copyOf(events);
    }

    /**
     * The first event so far from {@code source} named {@code event}.
     *
     * @param source the event's source, e.g. {@code "vm"}
     * @param event the event's name, e.g. {@code "booted"}
     * @return the event, or empty if it has not come
     */
    public synchronized Optional<ChEvent> find(String source, String event) {
        return events.stream().filter(e -> e.is(source, event)).findFirst();
    }

    /**
     * Waits up to {@code timeout} for an event from {@code source} named {@code event} (one already seen counts).
     *
     * @param source the event's source, e.g. {@code "vm"}
     * @param event the event's name, e.g. {@code "booted"}
     * @param timeout how long to wait at most
     * @return the event, or empty when it did not come in time
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized Optional<ChEvent> await(String source, String event, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ChEvent> found = find(source, event);
            long left = deadline - System.nanoTime();
            if (found.isPresent() || left <= 0) {
                return found;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
