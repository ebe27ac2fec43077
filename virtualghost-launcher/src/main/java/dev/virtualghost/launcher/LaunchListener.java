package dev.virtualghost.launcher;

/**
 * Observes a {@link Flow}: start/end/failed pairs for steps and undos, in the style of okhttp's
 * {@code EventListener}. Methods are called on the thread doing the work; implementations must be quick and
 * must not throw. {@link #NONE} ignores everything.
 */
public interface LaunchListener {

    /** A listener that ignores every event. */
    LaunchListener NONE = new LaunchListener() { };

    /** A step is about to run. */
    default void stepStarted(String step) {
    }

    /** A step finished. */
    default void stepSucceeded(String step, java.time.Duration took) {
    }

    /** A step threw; unwinding follows. */
    default void stepFailed(String step, Exception failure) {
    }

    /** An undo is about to run. */
    default void undoStarted(String undo) {
    }

    /** An undo finished. */
    default void undoSucceeded(String undo) {
    }

    /** An undo threw; the remaining undos still run. */
    default void undoFailed(String undo, Exception failure) {
    }
}
