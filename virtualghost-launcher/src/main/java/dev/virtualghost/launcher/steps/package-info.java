/**
 * The standard launch steps, one class each, in the order {@link dev.virtualghost.launcher.Launcher#defaultSteps}
 * lists them: preflight, run directory, GPU bind, SSH client key, VMM spawn, {@code vm.create}, {@code vm.boot},
 * guest reachable. Each reads and puts typed resources in the {@link dev.virtualghost.launcher.LaunchContext}
 * and registers its undos there; a step that does not apply to a spec (no GPU, no SSH) does nothing.
 */
package dev.virtualghost.launcher.steps;
