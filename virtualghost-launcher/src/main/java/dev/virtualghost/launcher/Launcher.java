package dev.virtualghost.launcher;

import dev.virtualghost.ch.ChEventListener;
import dev.virtualghost.launcher.steps.ClientKeyStep;
import dev.virtualghost.launcher.steps.GpuBindStep;
import dev.virtualghost.launcher.steps.GuestReadyStep;
import dev.virtualghost.launcher.steps.PreflightStep;
import dev.virtualghost.launcher.steps.RunDirectoryStep;
import dev.virtualghost.launcher.steps.VmBootStep;
import dev.virtualghost.launcher.steps.VmCreateStep;
import dev.virtualghost.launcher.steps.VmmSpawnStep;
import dev.virtualghost.vfio.SysfsWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Starts VMs: runs the {@linkplain #defaultSteps() standard steps} (or an edited list) for a {@link LaunchSpec}
 * and hands back a {@link Session}. The CLI's {@code run} and the JUnit extension are built on this class.
 *
 * <pre>{@code
 * Launcher launcher = Launcher.builder()
 *         .spec(LaunchSpec.builder().kernel(Path.of("vmlinux")).build())
 *         .customize(flow -> flow.insertAfter(VmBootStep.NAME, myStep))
 *         .build();
 * try (Session vm = launcher.start()) {
 *     vm.awaitExit(Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@link #start()} is an independent launch. Needs neither picocli nor an
 * SLF4J binding on the class path.
 */
public final class Launcher {
    private final LaunchSpec spec;
    private final LaunchListener listener;
    private final ChEventListener events;
    private final boolean shutdownHook;
    private final List<Consumer<Flow>> customizers;
    private final SysfsWriter sysfsWriter;

    private Launcher(Builder b) {
        this.sysfsWriter = b.sysfsWriter;
        this.spec = Objects.requireNonNull(b.spec, "spec == null: call spec(...)");
        this.listener = b.listener;
        this.events = b.events;
        this.shutdownHook = b.shutdownHook;
        this.customizers = List.copyOf(b.customizers);
    }

    /**
     * A new builder.
     *
     * @return a builder with no spec yet
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The standard steps, in order: preflight, runtime dir, GPU bind, SSH key, VMM spawn, create, boot, guest.
     *
     * @return an immutable list of new instances of the standard steps
     */
    public static List<Step> defaultSteps() {
        return List.of(
                new PreflightStep(),
                new RunDirectoryStep(),
                new GpuBindStep(),
                new ClientKeyStep(),
                new VmmSpawnStep(),
                new VmCreateStep(),
                new VmBootStep(),
                new GuestReadyStep());
    }

    /**
     * The launch's spec.
     *
     * @return the spec every {@link #start()} launches
     */
    public LaunchSpec spec() {
        return spec;
    }

    /**
     * The flow a {@link #start()} would run, with the customisations applied.
     *
     * @return a new flow of the default steps after the {@linkplain Builder#customize customisations}
     */
    public Flow flow() {
        Flow flow = Flow.of(defaultSteps(), listener).shutdownHook(shutdownHook);
        customizers.forEach(c -> c.accept(flow));
        return flow;
    }

    /**
     * Launches a VM.
     *
     * @return the running session; the caller owns it and closes it to shut the VM down and restore the host
     * @throws FlowException naming the step that failed, after everything acquired was released
     */
    public Session start() {
        return start(null);
    }

    /**
     * Launches a VM; {@code onContext} receives the launch's context before the first step, so that another
     * thread (a signal handler) can {@linkplain LaunchContext#cancel cancel} the launch while it runs.
     *
     * @param onContext receives the context before the first step runs (on the calling thread)
     * @return the running session; the caller owns it and closes it to shut the VM down and restore the host
     * @throws FlowException naming the step that failed, after everything acquired was released
     */
    public Session start(Consumer<LaunchContext> onContext) {
        Flow flow = flow();
        LaunchContext ctx = flow.newContext(spec);
        VmEvents recorder = new VmEvents();
        if (events != null) {
            recorder.forwardTo(events);
        }
        ctx.put(Keys.EVENTS, recorder);
        if (sysfsWriter != null) {
            ctx.put(Keys.SYSFS_WRITER, sysfsWriter);
        }
        if (onContext != null) {
            onContext.accept(ctx);
        }
        Flow.Running running = flow.start(ctx);
        try {
            return new Session(running);
        } catch (RuntimeException | Error e) {
            running.context().undos().unwind();
            throw e;
        }
    }

    /** Configures a {@link Launcher}. Not thread-safe. */
    public static final class Builder {
        private LaunchSpec spec;
        private LaunchListener listener = LaunchListener.NONE;
        private ChEventListener events;
        private boolean shutdownHook;
        private final List<Consumer<Flow>> customizers = new ArrayList<>();
        private SysfsWriter sysfsWriter;

        private Builder() {}

        /**
         * How sysfs attributes are written when binding the GPU (default: real writes; a fake kernel in tests).
         *
         * @param writer writes sysfs attributes
         * @return this builder
         */
        public Builder sysfsWriter(SysfsWriter writer) {
            this.sysfsWriter = Objects.requireNonNull(writer, "writer == null");
            return this;
        }

        /**
         * What to launch (required).
         *
         * @param spec the VM to launch
         * @return this builder
         */
        public Builder spec(LaunchSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec == null");
            return this;
        }

        /**
         * Observes steps and undos.
         *
         * @param listener observes steps and undos
         * @return this builder
         */
        public Builder listener(LaunchListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener == null");
            return this;
        }

        /**
         * Also receives every VMM event.
         *
         * @param listener receives each event the VMM reports
         * @return this builder
         */
        public Builder eventListener(ChEventListener listener) {
            this.events = Objects.requireNonNull(listener, "listener == null");
            return this;
        }

        /**
         * Unwind from a JVM shutdown hook if the JVM exits while a session runs (default false; the CLI: true).
         *
         * @param install true to unwind from a shutdown hook
         * @return this builder
         */
        public Builder shutdownHook(boolean install) {
            this.shutdownHook = install;
            return this;
        }

        /**
         * Edits the step list of every launch (insert, replace, remove steps by name).
         *
         * @param customizer edits the flow; called once per launch
         * @return this builder
         */
        public Builder customize(Consumer<Flow> customizer) {
            customizers.add(Objects.requireNonNull(customizer, "customizer == null"));
            return this;
        }

        /**
         * Builds the launcher.
         *
         * @return a new launcher
         * @throws NullPointerException if no spec was given
         */
        public Launcher build() {
            return new Launcher(this);
        }
    }
}
