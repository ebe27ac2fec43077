package dev.virtualghost.ch;

/**
 * Receives CH's events from a {@link ChProcess} started with an event monitor.
 *
 * <p>Called on one daemon thread per process, in the order CH wrote the events; an implementation must be
 * quick or hand work to another thread. A listener that throws is logged and keeps receiving events.
 */
@FunctionalInterface
public interface ChEventListener {
    /** A listener that ignores every event. */
    ChEventListener NONE = event -> {};

    /**
     * Receives one event, in the order CH wrote them, on the process's event thread.
     *
     * @param event the event CH reported
     */
    void onEvent(ChEvent event);
}
