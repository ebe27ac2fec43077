package dev.virtualghost.launcher.cli;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM for {@code run}: the first one cancels the launch or ends the wait, so that the main thread
 * unwinds gracefully; a second SIGINT also asks the unwind to skip the graceful guest shutdown (the GPU is still
 * restored). Without this trap the JVM would exit at once and leave the unwind to a shutdown hook.
 */
final class SignalTrap implements AutoCloseable {
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicReference<String> first = new AtomicReference<>();
    private final Runnable onFirst;
    private final Runnable onSecond;
    private final SignalHandler previousInt;
    private final SignalHandler previousTerm;

    SignalTrap(Runnable onFirst, Runnable onSecond) {
        this.onFirst = onFirst;
        this.onSecond = onSecond;
        this.previousInt = Signal.handle(new Signal("INT"), this::handle);
        this.previousTerm = Signal.handle(new Signal("TERM"), this::handle);
    }

    private void handle(Signal signal) {
        int n = count.incrementAndGet();
        if (n == 1) {
            first.set(signal.getName());
            onFirst.run();
        } else {
            onSecond.run();
        }
    }

    /** The first signal's name ({@code INT} or {@code TERM}), or null when none came. */
    String firstSignal() {
        return first.get();
    }

    @Override
    public void close() {
        Signal.handle(new Signal("INT"), previousInt);
        Signal.handle(new Signal("TERM"), previousTerm);
    }
}
