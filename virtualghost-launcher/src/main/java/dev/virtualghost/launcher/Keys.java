package dev.virtualghost.launcher;

import dev.virtualghost.ch.ChClient;
import dev.virtualghost.ch.ChProcess;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.vfio.SysfsWriter;
import dev.virtualghost.vfio.VfioBinding;
import dev.virtualghost.vsock.ssh.EphemeralKey;
import dev.virtualghost.vsock.ssh.GuestSsh;
import java.nio.file.Path;

/**
 * The resources the standard steps put in a {@link LaunchContext}, in the order they appear.
 *
 * <p>Constants only; the keys are immutable.
 */
public final class Keys {
    /** The private (0700) directory of this run, under the runtime root. */
    public static final Key<Path> RUN_DIR = Key.of("run.dir", Path.class);
    /** The run's write-ahead journal, which {@code clean} replays when this process dies. */
    public static final Key<RunJournal> JOURNAL = Key.of("run.journal", RunJournal.class);
    /**
     * How sysfs attributes are written when binding (absent: real file writes); a seam for tests that play the
     * kernel with a fake sysfs tree.
     */
    public static final Key<SysfsWriter> SYSFS_WRITER = Key.of("gpu.sysfs-writer", SysfsWriter.class);
    /** The GPU and its IOMMU group, bound to {@code vfio-pci}. */
    public static final Key<VfioBinding> BINDING = Key.of("gpu.binding", VfioBinding.class);
    /** The session's SSH client key; its public half goes on the guest's kernel command line. */
    public static final Key<EphemeralKey> CLIENT_KEY = Key.of("ssh.client-key", EphemeralKey.class);
    /** The VMM's events, recorded from its spawn on. */
    public static final Key<VmEvents> EVENTS = Key.of("vmm.events", VmEvents.class);
    /** The session's private SSH client key file (0600 in the run directory). */
    public static final Key<Path> CLIENT_KEY_FILE = Key.of("ssh.client-key-file", Path.class);
    /** The running VMM. */
    public static final Key<ChProcess> CH_PROCESS = Key.of("vmm.process", ChProcess.class);
    /** The VMM's API client. */
    public static final Key<ChClient> CH_CLIENT = Key.of("vmm.client", ChClient.class);
    /** The configuration sent with {@code vm.create}. */
    public static final Key<VmConfig> VM_CONFIG = Key.of("vm.config", VmConfig.class);
    /** The hybrid vsock socket of the VM. */
    public static final Key<Path> VSOCK_SOCKET = Key.of("vm.vsock-socket", Path.class);
    /** The SSH connection to the guest, host key pinned. */
    public static final Key<GuestSsh> GUEST_SSH = Key.of("guest.ssh", GuestSsh.class);

    private Keys() {}
}
