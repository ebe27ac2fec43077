package dev.virtualghost.launcher;

import dev.virtualghost.api.VirtualGhostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered, editable list of named {@link Step}s that acquire a VM's resources, with their undos.
 *
 * <p>{@link #start(LaunchContext)} runs the steps in order. If one throws anything (an {@code AssertionError}
 * in a test included), every undo registered so far runs in reverse order (each attempted, each with its
 * deadline, failures attached as suppressed) and a {@link FlowException} naming the step is thrown, so nothing
 * half-done is left behind. If all succeed, the returned {@link Running} owns the undo stack: its
 * {@code close()} unwinds it. A JVM shutdown hook that unwinds too is opt-in ({@link #shutdownHook(boolean)}):
 * the CLI turns it on, an embedder decides. Editable before start, like firecracker-go-sdk's handler lists. Not
 * thread-safe while being edited; {@code start} may be called once per flow.
 */
public final class Flow {
    private final List<Step> steps = new ArrayList<>();
    private final LaunchListener listener;
    private boolean shutdownHook;
    private boolean started;

    private Flow(List<Step> steps, LaunchListener listener) {
        this.steps.addAll(steps);
        this.listener = listener;
    }

    /**
     * Creates a flow of {@code steps}, observed by {@code listener}.
     *
     * @param steps the steps, in the order they run; names must be unique
     * @param listener observes every step and undo
     * @return a new, unstarted flow
     * @throws IllegalArgumentException if two steps have the same name
     */
    public static Flow of(List<Step> steps, LaunchListener listener) {
        Objects.requireNonNull(steps, "steps == null");
        Objects.requireNonNull(listener, "listener == null");
        Flow flow = new Flow(List.of(), listener);
        steps.forEach(flow::add);
        return flow;
    }

    /**
     * Returns the step names in order.
     *
     * @return the names, first step first
     */
    public List<String> stepNames() {
        return steps.stream().map(Step::name).toList();
    }

    /**
     * Appends {@code step}.
     *
     * @param step the step to run last
     * @return this flow
     * @throws IllegalArgumentException if {@code step}'s name is taken
     */
    public Flow add(Step step) {
        checkNew(step);
        steps.add(step);
        return this;
    }

    /**
     * Inserts {@code step} right before the step named {@code existing}.
     *
     * @param existing the name of a step already in this flow
     * @param step the step to insert
     * @return this flow
     * @throws IllegalArgumentException if there is no step named {@code existing} or {@code step}'s name is taken
     */
    public Flow insertBefore(String existing, Step step) {
        int i = indexOf(existing);
        checkNew(step);
        steps.add(i, step);
        return this;
    }

    /**
     * Inserts {@code step} right after the step named {@code existing}.
     *
     * @param existing the name of a step already in this flow
     * @param step the step to insert
     * @return this flow
     * @throws IllegalArgumentException if there is no step named {@code existing} or {@code step}'s name is taken
     */
    public Flow insertAfter(String existing, Step step) {
        int i = indexOf(existing);
        checkNew(step);
        steps.add(i + 1, step);
        return this;
    }

    /**
     * Replaces the step named {@code existing} with {@code step} (which may keep or change the name).
     *
     * @param existing the name of a step already in this flow
     * @param step the step that takes its place
     * @return this flow
     * @throws IllegalArgumentException if there is no step named {@code existing} or {@code step}'s name is taken
     */
    public Flow replace(String existing, Step step) {
        int i = indexOf(existing);
        Objects.requireNonNull(step, "step == null");
        if (!step.name().equals(existing) && stepNames().contains(step.name())) {
            throw new IllegalArgumentException("duplicate step name: " + step.name());
        }
        steps.set(i, step);
        return this;
    }

    /**
     * Removes the step named {@code name}.
     *
     * @param name the name of a step in this flow
     * @return this flow
     * @throws IllegalArgumentException if there is no step named {@code name}
     */
    public Flow remove(String name) {
        steps.remove(indexOf(name));
        return this;
    }

    /**
     * Whether a JVM shutdown hook unwinds a started flow when the JVM exits first (default false).
     *
     * @param install true to install the hook when the flow starts
     * @return this flow
     */
    public Flow shutdownHook(boolean install) {
        this.shutdownHook = install;
        return this;
    }

    private int indexOf(String name) {
        int i = stepNames().indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no step named " + name + " in " + stepNames());
        }
        return i;
    }

    private void checkNew(Step step) {
        Objects.requireNonNull(step, "step == null");
        if (stepNames().contains(step.name())) {
            throw new IllegalArgumentException("duplicate step name: " + step.name());
        }
    }

    /**
     * A fresh context for {@link #start(LaunchContext)}: its undo stack reports to this flow's listener.
     *
     * @param spec what the flow launches
     * @return a new context whose deadline is {@code spec}'s launch timeout from now
     */
    public LaunchContext newContext(LaunchSpec spec) {
        return new LaunchContext(spec, new Undos(listener), spec.launchTimeout());
    }

    /**
     * Runs every step in order.
     *
     * @param ctx the context from {@link #newContext}; another thread may {@link LaunchContext#cancel} it
     * @return the running flow, which owns every acquired resource until closed
     * @throws FlowException if a step fails, after unwinding
     */
    public Running start(LaunchContext ctx) {
        Objects.requireNonNull(ctx, "ctx == null");
        if (started) {
            throw new IllegalStateException("flow already started");
        }
        started = true;
        Running running = new Running(ctx, shutdownHook);
        for (Step step : List.copyOf(steps)) {
            Listeners.safely(() -> listener.stepStarted(step.name()));
            long t0 = System.nanoTime();
            try {
                ctx.checkCancelled();
                step.run(ctx);
            } catch (Throwable e) {
                Listeners.safely(() -> listener.stepFailed(step.name(), e));
                boolean interrupted = Thread.interrupted();
                FlowException failure = new FlowException(step.name(), e);
                running.unwind().forEach(failure::addSuppressed);
                if (interrupted || e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (e instanceof VirtualMachineError vme) {
                    vme.addSuppressed(failure);
                    throw vme;
                }
                throw failure;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            Listeners.safely(() -> listener.stepSucceeded(step.name(), took));
        }
        return running;
    }

    /**
     * A started flow: owns the undo stack until {@link #close()}. Thread-safe; close is idempotent.
     */
    public static final class Running implements AutoCloseable {
        private final LaunchContext ctx;
        private final Thread hook;

        private Running(LaunchContext ctx, boolean installHook) {
            this.ctx = ctx;
            if (installHook) {
                this.hook = new Thread(
                        () -> {
                            ctx.cancel("the JVM is shutting down");
                            ctx.undos().unwind();
                        },
                        "virtualghost-unwind");
                Runtime.getRuntime().addShutdownHook(hook);
            } else {
                this.hook = null;
            }
        }

        /**
         * The launch's context, with every resource the steps acquired.
         *
         * @return the context the flow ran with (owned by this running flow)
         */
        public LaunchContext context() {
            return ctx;
        }

        /**
         * Returns the number of undos still registered.
         *
         * @return how many undos a {@code close()} would still run
         */
        public int pendingUndos() {
            return ctx.undos().size();
        }

        /**
         * Unwinds every undo in reverse order, once.
         *
         * @throws VirtualGhostException if an undo failed, with each failure suppressed
         */
        @Override
        public void close() {
            List<Throwable> failures = unwind();
            if (!failures.isEmpty()) {
                VirtualGhostException failure = new VirtualGhostException(
                        "tear-down incomplete: " + failures.size() + " undo(s) failed, first: " + failures.get(0));
                failures.forEach(failure::addSuppressed);
                throw failure;
            }
        }

        private List<Throwable> unwind() {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or about to: unwinding here as well is harmless, it runs once.
                }
            }
            return ctx.undos().unwind();
        }
    }
}
