package dev.virtualghost.launcher.steps;

import dev.virtualghost.launcher.LaunchContext;
import dev.virtualghost.launcher.LaunchSpec;
import dev.virtualghost.launcher.Step;
import dev.virtualghost.launcher.internal.Preflight;

/**
 * {@code preflight}: the host checks this launch needs (the VMM binary, {@code /dev/kvm}, the guest files, the
 * GPU and its IOMMU group), failing with the first problem and its remedy before anything is touched.
 *
 * <p>Stateless and thread-safe: one instance may serve any number of launches.
 */
public final class PreflightStep implements Step {
    /** This step's name. */
    public static final String NAME = "preflight";

    /** Creates the step. It holds no state: one instance may run in any number of launches. */
    public PreflightStep() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(LaunchContext ctx) {
        LaunchSpec spec = ctx.spec();
        Preflight.check(spec);
    }
}
