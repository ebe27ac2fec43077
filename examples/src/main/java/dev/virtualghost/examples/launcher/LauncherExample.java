package dev.virtualghost.examples.launcher;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.launcher.LaunchListener;
import dev.virtualghost.launcher.LaunchSpec;
import dev.virtualghost.launcher.Launcher;
import dev.virtualghost.launcher.Session;
import dev.virtualghost.launcher.SessionExit;
import dev.virtualghost.launcher.Step;
import dev.virtualghost.launcher.steps.VmBootStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Embeds the launcher: boots a kernel (optionally with a GPU), adds a custom step after {@code vm.boot}, prints
 * each step as it runs, and waits up to a minute for the guest to power off.
 *
 * <pre>
 * java -cp ... dev.virtualghost.examples.launcher.LauncherExample KERNEL CLOUD_HYPERVISOR [GPU_ADDRESS]
 * </pre>
 */
public final class LauncherExample {
    private LauncherExample() {}

    /** Runs the example. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: LauncherExample KERNEL CLOUD_HYPERVISOR [GPU_ADDRESS]");
            System.exit(2);
        }
        LaunchSpec.Builder spec = LaunchSpec.builder()
                .kernel(Path.of(args[0]))
                .chBinary(Path.of(args[1]))
                .memoryBytes(256L << 20)
                .vcpus(1);
        if (args.length > 2) {
            spec.gpu(PciAddress.parse(args[2]));
        }
        Launcher launcher = Launcher.builder()
                .spec(spec.build())
                .listener(new LaunchListener() {
                    @Override
                    public void stepSucceeded(String step, Duration took) {
                        System.out.printf("%-12s %5d ms%n", step, took.toMillis());
                    }
                })
                .customize(flow -> flow.insertAfter(
                        VmBootStep.NAME,
                        Step.of(
                                "example.info",
                                ctx -> System.out.println("VM state: "
                                        + ctx.require(dev.virtualghost.launcher.Keys.CH_CLIENT)
                                                .info()
                                                .state()))))
                .build();
        try (Session vm = launcher.start()) {
            Optional<SessionExit> exit = vm.awaitExit(Duration.ofMinutes(1));
            System.out.println(exit.map(SessionExit::describe).orElse("still running after a minute; stopping it"));
            System.out.println("serial:\n" + vm.serialTail(20));
        }
    }
}
