package dev.virtualghost.launcher;

import java.util.Objects;

/**
 * One named stage of a launch (bind the GPU, spawn the VMM, create the VM, ...), in the style of
 * firecracker-go-sdk's handler list.
 *
 * <p>A step reads what earlier steps acquired from the {@link LaunchContext} ({@code ctx.require(Keys.CH_PROCESS)}),
 * puts what it acquires there, and registers the undo of each thing on {@code ctx.undos()} <em>the moment it has
 * acquired it</em>, before doing anything else that could fail, so that a failure halfway through a step still
 * releases the first half. Undos must be idempotent and tolerate "already gone". A step that waits checks
 * {@link LaunchContext#checkCancelled()} and honours {@link LaunchContext#remaining()}.
 *
 * <p>The standard steps are classes in {@link dev.virtualghost.launcher.steps}; Java users may write their own
 * and insert them with {@link Flow#insertAfter}.
 *
 * <p>Steps run one at a time on the thread that starts the flow; a step instance that keeps no per-launch state
 * may be reused across launches.
 */
public interface Step {

    /**
     * A short dotted name, e.g. {@code "gpu.bind"}; shown in errors and to {@link LaunchListener}s.
     *
     * @return the step's name, unique within a flow
     */
    String name();

    /**
     * Does the step's work.
     *
     * @param ctx the launch's resources, undo stack, deadline and cancellation
     * @throws Exception anything; the flow unwinds what earlier steps and this one registered, then rethrows
     */
    void run(LaunchContext ctx) throws Exception;

    /**
     * Creates a step from a name and a body (handy in tests and small customisations).
     *
     * @param name the step's name
     * @param body what the step does
     * @return a new step
     */
    static Step of(String name, Body body) {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(body, "body == null");
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run(LaunchContext ctx) throws Exception {
                body.run(ctx);
            }

            @Override
            public String toString() {
                return "Step[" + name + "]";
            }
        };
    }

    /** The body of a step made with {@link #of}. */
    @FunctionalInterface
    interface Body {
        /**
         * Does the work, pushing undos as it acquires things.
         *
         * @param ctx the launch's context: its spec, resources and undo stack
         * @throws Exception anything; the flow unwinds and reports it as the cause of a {@link FlowException}
         */
        void run(LaunchContext ctx) throws Exception;
    }
}
