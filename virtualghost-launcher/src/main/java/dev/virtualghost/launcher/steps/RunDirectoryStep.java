package dev.virtualghost.launcher.steps;

import dev.virtualghost.launcher.Keys;
import dev.virtualghost.launcher.LaunchContext;
import dev.virtualghost.launcher.RunJournal;
import dev.virtualghost.launcher.Step;
import dev.virtualghost.launcher.internal.PrivateDirs;
import java.nio.file.Path;

/**
 * {@code runtime.dir}: creates the run's private directory {@code <runtime root>/runs/<id>} (0700, as are the
 * root and {@code runs/}), starts its {@link RunJournal} and takes the owner lock. The undo releases the lock
 * and removes the directory with everything in it; it runs last, after every other undo.
 *
 * <p>Stateless and thread-safe: one instance may serve any number of launches.
 */
public final class RunDirectoryStep implements Step {
    /** This step's name. */
    public static final String NAME = "runtime.dir";

    /** Creates the step. It holds no state: one instance may run in any number of launches. */
    public RunDirectoryStep() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(LaunchContext ctx) throws Exception {
        PrivateDirs.ensureSafeParent(ctx.spec().runtimeRoot());
        Path runs = PrivateDirs.ensure(ctx.spec().runtimeRoot().resolve(RunJournal.RUNS));
        Path dir = PrivateDirs.createUnique(runs);
        ctx.undos().push("remove run directory " + dir, () -> PrivateDirs.deleteRecursively(dir));
        ctx.put(Keys.RUN_DIR, dir);
        RunJournal journal = RunJournal.create(dir);
        ctx.undos().push("release run journal", journal::close);
        ctx.put(Keys.JOURNAL, journal);
    }
}
