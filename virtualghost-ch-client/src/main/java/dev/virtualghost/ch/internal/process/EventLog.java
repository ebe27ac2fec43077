package dev.virtualghost.ch.internal.process;

import dev.virtualghost.ch.ChEvent;
import dev.virtualghost.ch.ChEventListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the events of one VMM (the last {@value #MAX_EVENTS}) for {@code awaitEvent}, and passes each on to the
 * caller's listener. Thread-safe: one reader thread adds, any thread waits.
 */
public final class EventLog implements ChEventListener {

    /** Events kept for waiters; older ones are dropped (a VMM writes a few dozen in a normal life). */
    static final int MAX_EVENTS = 10_000;

    private final ChEventListener downstream;
    private final ArrayDeque<ChEvent> events = new ArrayDeque<>();
    private boolean ended;

    /** A log passing every event on to {@code downstream} after keeping it. */
    public EventLog(ChEventListener downstream) {
        this.downstream = downstream;
    }

    @Override
    public void onEvent(ChEvent event) {
        synchronized (this) {
            if (events.size() == MAX_EVENTS) {
                events.removeFirst();
            }
            events.addLast(event);
            notifyAll();
        }
        downstream.onEvent(event);
    }

    /** Marks the end of the stream: no event can come any more, waiters return at once. */
    public synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** The events kept so far, oldest first. */
    public synchronized List<ChEvent> events() {
        return List.copyOf(events);
    }

    /**
     * The first kept event from {@code source} named {@code event}, waiting up to {@code timeout} for it; empty
     * at the deadline or once the stream ended without it.
     */
    public synchronized Optional<ChEvent> await(String source, String event, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (ChEvent e : events) {
                if (e.is(source, event)) {
                    return Optional.of(e);
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
