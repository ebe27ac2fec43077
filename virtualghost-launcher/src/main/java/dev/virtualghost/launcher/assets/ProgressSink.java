package dev.virtualghost.launcher.assets;

import dev.virtualghost.launcher.assets.internal.ConsoleProgress;
import java.io.PrintStream;

/**
 * Receives the progress of cache fills. The CLI plugs {@link #console(PrintStream, boolean)}; library users get
 * SLF4J lines from {@link #logging()} by default. Called from the filling thread only.
 */
public interface ProgressSink {

    /** A fill of {@code file} ({@code totalBytes} once unpacked) from {@code source} begins. */
    void started(String file, long totalBytes, String source);

    /** {@code doneBytes} of the current file have been written. */
    void progressed(long doneBytes);

    /** The current file has been written and verified. */
    void finished();

    /** Reports nothing. */
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

    /** One SLF4J INFO line per file started and finished. */
    static ProgressSink logging() {
        return ConsoleProgress.logging();
    }

    /**
     * Progress on {@code out}: on a terminal ({@code terminal} true) a bar redrawn in place with {@code \r}; otherwise
     * plain lines at every 10%.
     */
    static ProgressSink console(PrintStream out, boolean terminal) {
        return new ConsoleProgress(out, terminal);
    }
}
