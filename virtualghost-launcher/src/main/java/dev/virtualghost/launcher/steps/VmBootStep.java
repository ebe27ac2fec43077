package dev.virtualghost.launcher.steps;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.launcher.Keys;
import dev.virtualghost.launcher.LaunchContext;
import dev.virtualghost.launcher.Step;
import dev.virtualghost.launcher.internal.GuestShutdown;
import java.time.Duration;

/**
 * {@code vm.boot}: boots the VM. Its undo is the graceful guest shutdown: {@code vm.power-button}, a bounded
 * wait ({@link dev.virtualghost.launcher.LaunchSpec#shutdownGrace()}) for the guest to power off, then
 * {@code vm.shutdown}; skipped when the VMM is already gone or the launch was {@linkplain LaunchContext#hurry()
 * hurried} (a second Ctrl-C). The VMM's own stop escalation runs after it.
 *
 * <p>Stateless and thread-safe: one instance may serve any number of launches.
 */
public final class VmBootStep implements Step {
    /** This step's name. */
    public static final String NAME = "vm.boot";

    /** Creates the step. It holds no state: one instance may run in any number of launches. */
    public VmBootStep() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(LaunchContext ctx) throws Exception {
        ChProcess ch = ctx.require(Keys.CH_PROCESS);
        ChClient client = ctx.require(Keys.CH_CLIENT);
        Duration grace = ctx.spec().shutdownGrace();
        client.boot();
        // After the boot: a VM that never booted has no guest to ask; the VMM's stop escalation is enough.
        ctx.undos()
                .push(
                        "shut the guest down",
                        grace.plusSeconds(10),
                        () -> GuestShutdown.run(ch, client, grace, ctx::hurried));
    }
}
