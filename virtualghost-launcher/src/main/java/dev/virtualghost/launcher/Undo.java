package dev.virtualghost.launcher;

/**
 * Releases one thing a {@link Step} acquired. Must be idempotent and tolerate "already gone".
 *
 * <p>Runs at most once, while the launch unwinds, under a deadline (see {@link Undos}).
 */
@FunctionalInterface
public interface Undo {
    /**
     * Releases the thing; an exception is recorded and the remaining undos still run.
     *
     * @throws Exception anything; it is reported to the listener and attached as suppressed
     */
    void run() throws Exception;
}
