package dev.virtualghost.launcher;

import java.time.Duration;

/**
 * Observes a {@link Flow}: start/end/failed pairs for steps and undos, in the style of okhttp's
 * {@code EventListener}. Methods are called on the thread doing the work and should be quick; one that throws
 * is logged and ignored, it can stop neither a launch nor its unwinding. {@link #NONE} ignores everything.
 */
public interface LaunchListener {

    /** A listener that ignores every event. */
    LaunchListener NONE = new LaunchListener() {};

    /**
     * A step is about to run.
     *
     * @param step the step's name
     */
    default void stepStarted(String step) {}

    /**
     * A step finished.
     *
     * @param step the step's name
     * @param took how long the step ran
     */
    default void stepSucceeded(String step, Duration took) {}

    /**
     * A step threw; unwinding follows.
     *
     * @param step the step's name
     * @param failure what the step threw
     */
    default void stepFailed(String step, Throwable failure) {}

    /**
     * An undo is about to run.
     *
     * @param undo the undo's name
     */
    default void undoStarted(String undo) {}

    /**
     * An undo finished.
     *
     * @param undo the undo's name
     */
    default void undoSucceeded(String undo) {}

    /**
     * An undo threw or missed its deadline; the remaining undos still run.
     *
     * @param undo the undo's name
     * @param failure what the undo threw, or the timeout
     */
    default void undoFailed(String undo, Throwable failure) {}
}
