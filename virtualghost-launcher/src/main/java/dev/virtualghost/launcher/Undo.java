package dev.virtualghost.launcher;

/** Releases one thing a {@link Step} acquired. Must be idempotent and tolerate "already gone". */
@FunctionalInterface
public interface Undo {
    /** Releases the thing; an exception is recorded and the remaining undos still run. */
    void run() throws Exception;
}
