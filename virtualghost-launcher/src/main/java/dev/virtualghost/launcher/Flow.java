package dev.virtualghost.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered list of named {@link Step}s that acquire a VM's resources, with their undos.
 *
 * <p>{@link #start()} runs the steps in order. If one fails, every undo registered so far runs in reverse
 * order (each attempted; failures attached as suppressed) and a {@link FlowException} naming the step is thrown,
 * so nothing half-done is left behind. If all succeed, the returned {@link Running} owns the undo stack: its
 * {@code close()} unwinds it, and so does the JVM shutdown hook it installs (for SIGINT/SIGTERM), whichever
 * comes first. Editable before start, like firecracker-go-sdk's handler lists. Not thread-safe while being
 * edited; {@code start()} may be called once per flow.
 */
public final class Flow {
    private final List<Step> steps = new ArrayList<>();
    private final LaunchListener listener;
    private boolean started;

    private Flow(List<Step> steps, LaunchListener listener) {
        this.steps.addAll(steps);
        this.listener = listener;
    }

    /** Creates a flow of {@code steps}, observed by {@code listener}. */
    public static Flow of(List<Step> steps, LaunchListener listener) {
        Objects.requireNonNull(steps, "steps == null");
        Objects.requireNonNull(listener, "listener == null");
        List<String> names = new ArrayList<>();
        for (Step s : steps) {
            if (names.contains(s.name())) {
                throw new IllegalArgumentException("duplicate step name: " + s.name());
            }
            names.add(s.name());
        }
        return new Flow(steps, listener);
    }

    /** Returns the step names in order. */
    public List<String> stepNames() {
        return steps.stream().map(Step::name).toList();
    }

    /** Inserts {@code step} right after the step named {@code existing}. */
    public Flow insertAfter(String existing, Step step) {
        int i = stepNames().indexOf(existing);
        if (i < 0) {
            throw new IllegalArgumentException("no step named " + existing + " in " + stepNames());
        }
        if (stepNames().contains(step.name())) {
            throw new IllegalArgumentException("duplicate step name: " + step.name());
        }
        steps.add(i + 1, step);
        return this;
    }

    /** Removes the step named {@code name}. */
    public Flow remove(String name) {
        if (!steps.removeIf(s -> s.name().equals(name))) {
            throw new IllegalArgumentException("no step named " + name + " in " + stepNames());
        }
        return this;
    }

    /**
     * Runs every step in order.
     *
     * @return the running flow, which owns every acquired resource until closed
     * @throws FlowException if a step fails, after unwinding
     */
    public Running start() {
        if (started) {
            throw new IllegalStateException("flow already started");
        }
        started = true;
        Undos undos = new Undos(listener);
        Running running = new Running(undos);
        for (Step step : steps) {
            listener.stepStarted(step.name());
            long t0 = System.nanoTime();
            try {
                step.run(undos);
            } catch (Exception e) {
                listener.stepFailed(step.name(), e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                FlowException failure = new FlowException(step.name(), e);
                running.close(failure);
                throw failure;
            }
            listener.stepSucceeded(step.name(), Duration.ofNanos(System.nanoTime() - t0));
        }
        return running;
    }

    /**
     * A started flow: owns the undo stack until {@link #close()}. A JVM shutdown hook unwinds the stack too if
     * the process is told to stop first. Thread-safe; close is idempotent.
     */
    public static final class Running implements AutoCloseable {
        private final Undos undos;
        private final Thread hook;

        private Running(Undos undos) {
            this.undos = undos;
            this.hook = new Thread(undos::unwind, "virtualghost-unwind");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        /** Returns the number of undos still registered. */
        public int pendingUndos() {
            return undos.size();
        }

        /**
         * Unwinds every undo in reverse order, once.
         *
         * @throws dev.virtualghost.api.VirtualGhostException if an undo failed, with each failure suppressed
         */
        @Override
        public void close() {
            dev.virtualghost.api.VirtualGhostException failure =
                    new dev.virtualghost.api.VirtualGhostException("tear-down incomplete: some undos failed");
            if (close(failure)) {
                throw failure;
            }
        }

        private boolean close(RuntimeException collector) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: unwinding here as well is harmless, it runs once.
            }
            List<Exception> failures = undos.unwind();
            failures.forEach(collector::addSuppressed);
            return !failures.isEmpty();
        }
    }
}
