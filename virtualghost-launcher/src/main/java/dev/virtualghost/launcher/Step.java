package dev.virtualghost.launcher;

/**
 * One named stage of a launch (bind the GPU, spawn the VMM, create the VM, ...), in the style of
 * firecracker-go-sdk's handler list.
 *
 * <p>A step registers the undo for whatever it acquired on the {@link Undos} it is given <em>the moment it has
 * acquired it</em>, before doing anything else that could fail, so that a failure halfway through a step still
 * releases the first half. Undos must be idempotent and tolerate "already gone".
 */
public interface Step {

    /** A short dotted name, e.g. {@code "vfio.bind"}; shown in errors and to {@link LaunchListener}s. */
    String name();

    /**
     * Does the step's work.
     *
     * @param undos where to push the undo of each thing acquired
     * @throws Exception anything; the flow unwinds what earlier steps and this one registered, then rethrows
     */
    void run(Undos undos) throws Exception;

    /** Creates a step from a name and a body. */
    static Step of(String name, Body body) {
        java.util.Objects.requireNonNull(name, "name == null");
        java.util.Objects.requireNonNull(body, "body == null");
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run(Undos undos) throws Exception {
                body.run(undos);
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
        /** Does the work, pushing undos as it acquires things. */
        void run(Undos undos) throws Exception;
    }
}
