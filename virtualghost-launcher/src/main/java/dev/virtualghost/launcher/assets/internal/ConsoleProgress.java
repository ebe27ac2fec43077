package dev.virtualghost.launcher.assets.internal;

import dev.virtualghost.launcher.assets.ProgressSink;
import java.io.PrintStream;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The progress bar (terminal), plain 10% lines (pipes, logs) and the SLF4J variant. */
public final class ConsoleProgress implements ProgressSink {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleProgress.class);
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private String file = "";
    private long total;
    private int lastShown = -1;

    /**
     * Progress on {@code out}, as a bar when {@code terminal}.
     *
     * @param out where the progress is printed
     * @param terminal true to redraw a bar in place
     */
    public ConsoleProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Start and end lines through SLF4J.
     *
     * @return a sink that logs through SLF4J
     */
    public static ProgressSink logging() {
        return new ProgressSink() {
            private String file;
            private long t0;

            @Override
            public void started(String f, long totalBytes, String source) {
                file = f;
                t0 = System.nanoTime();
                LOG.info("fetching guest {} ({}) from {}", f, mib(totalBytes), source);
            }

            @Override
            public void progressed(long doneBytes) {}

            @Override
            public void finished() {
                LOG.info("guest {} verified ({} ms)", file, (System.nanoTime() - t0) / 1_000_000);
            }
        };
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    @Override
    public void started(String f, long totalBytes, String source) {
        file = f;
        total = totalBytes;
        lastShown = -1;
        if (!terminal) {
            out.println("fetching guest " + f + " (" + mib(totalBytes) + ") from " + source);
        }
        progressed(0);
    }

    @Override
    public void progressed(long doneBytes) {
        int pct = total <= 0 ? 100 : (int) Math.min(100, doneBytes * 100 / total);
        if (terminal) {
            if (pct != lastShown) {
                int filled = pct * WIDTH / 100;
                out.print("\r" + file + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                        + String.format(Locale.ROOT, "%3d%% %s", pct, mib(doneBytes)));
                out.flush();
            }
        } else if (pct / 10 != lastShown / 10 && pct % 100 != 0) {
            out.println(file + ": " + (pct / 10 * 10) + "%");
        }
        lastShown = pct;
    }

    @Override
    public void finished() {
        if (terminal) {
            out.println();
        } else {
            out.println(file + ": verified");
        }
    }
}
