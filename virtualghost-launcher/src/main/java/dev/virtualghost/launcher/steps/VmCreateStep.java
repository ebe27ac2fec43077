package dev.virtualghost.launcher.steps;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.launcher.Keys;
import dev.virtualghost.launcher.LaunchContext;
import dev.virtualghost.launcher.RunJournal;
import dev.virtualghost.launcher.Step;
import dev.virtualghost.launcher.internal.VmConfigs;
import dev.virtualghost.vfio.VfioBinding;
import dev.virtualghost.vsock.ssh.EphemeralKey;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code vm.create}: sends {@code vm.create} with the kernel, initramfs, command line (plus the session's public
 * SSH key), CPUs, memory, root disk, the serial console to a file in the VMM's private directory, a vsock device
 * (CID 3, hybrid socket in the run directory) and the GPU's group. A VM that CH refuses fails with CH's error
 * chain; nothing to undo beyond the VMM itself.
 *
 * <p>Stateless and thread-safe: one instance may serve any number of launches.
 */
public final class VmCreateStep implements Step {
    /** This step's name. */
    public static final String NAME = "vm.create";

    /** Creates the step. It holds no state: one instance may run in any number of launches. */
    public VmCreateStep() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(LaunchContext ctx) throws Exception {
        ChProcess ch = ctx.require(Keys.CH_PROCESS);
        ChClient client = ctx.require(Keys.CH_CLIENT);
        Path vsock = ctx.require(Keys.RUN_DIR).resolve("vsock.sock");
        List<Path> devices = ctx.get(Keys.BINDING)
                .map(VfioBinding::devices)
                .map(a -> VmConfigs.devicePaths(ctx.spec().sysRoot(), a))
                .orElse(List.of());
        String key = ctx.get(Keys.CLIENT_KEY).map(EphemeralKey::publicKeyLine).orElse(null);
        VmConfig config = VmConfigs.of(ctx.spec(), ch.serialFile(), vsock, devices, key);
        ctx.require(Keys.JOURNAL).put(RunJournal.VSOCK_SOCKET, vsock.toString());
        ctx.put(Keys.VM_CONFIG, config);
        ctx.put(Keys.VSOCK_SOCKET, vsock);
        client.create(config);
    }
}
