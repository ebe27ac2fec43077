package dev.virtualghost.launcher.assets;

import dev.virtualghost.launcher.assets.internal.ConsoleProgress;
import java.io.PrintStream;

/**
 * Receives the progress of cache fills. The CLI plugs {@link #console(PrintStream, boolean)}; library users get
 * SLF4J lines from {@link #logging()} by default. Called from the filling thread only.
 */
public interface ProgressSink {

    /**
     * A fill of {@code file} ({@code totalBytes} once unpacked) from {@code source} begins.
     *
     * @param file the file being filled
     * @param totalBytes its size in bytes once unpacked
     * @param source where it comes from, for messages
     */
    void started(String file, long totalBytes, String source);

    /**
     * {@code doneBytes} of the current file have been written.
     *
     * @param doneBytes the bytes written so far
     */
    void progressed(long doneBytes);

    /** The current file has been written and verified. */
    void finished();

    /**
     * Reports nothing.
     *
     * @return a sink that ignores every call
     */
    static ProgressSink none() {
        return new ProgressSink() {
            @Override
            public void started(String file, long totalBytes, String source) {}

            @Override
            public void progressed(long doneBytes) {}

            @Override
            public void finished() {}
        };
    }

    /**
     * One SLF4J INFO line per file started and finished.
     *
     * @return a sink that logs through SLF4J
     */
    static ProgressSink logging() {
        return ConsoleProgress.logging();
    }

    /**
     * Progress on {@code out}: on a terminal ({@code terminal} true) a bar redrawn in place with {@code \r}; otherwise
     * plain lines at every 10%.
     *
     * @param out where the progress is printed
     * @param terminal true when {@code out} is a terminal
     * @return a sink printing on {@code out}
     */
    static ProgressSink console(PrintStream out, boolean terminal) {
        return new ConsoleProgress(out, terminal);
    }
}
