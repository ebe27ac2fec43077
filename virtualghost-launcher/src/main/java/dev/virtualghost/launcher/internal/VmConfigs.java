package dev.virtualghost.launcher.internal;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.ch.model.ConsoleConfig;
import dev.virtualghost.ch.model.ConsoleMode;
import dev.virtualghost.ch.model.CpusConfig;
import dev.virtualghost.ch.model.DeviceConfig;
import dev.virtualghost.ch.model.DiskConfig;
import dev.virtualghost.ch.model.MemoryConfig;
import dev.virtualghost.ch.model.PayloadConfig;
import dev.virtualghost.ch.model.SerialConfig;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.ch.model.VsockConfig;
import dev.virtualghost.launcher.LaunchSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link LaunchSpec} into the {@code vm.create} body. Stateless. */
public final class VmConfigs {
    /** The guest's vsock CID (the first a guest may have). */
    public static final long GUEST_CID = 3;
    /** The kernel command line parameter that carries the session's public SSH client key. */
    public static final String AUTHORIZED_KEY_PARAM = "virtualghost.authorized_key=";

    private VmConfigs() {}

    /**
     * The VM configuration of a launch.
     *
     * @param spec the launch
     * @param serialFile where the guest's serial console goes
     * @param vsockSocket the hybrid vsock socket CH creates
     * @param devices the PCI devices passed through (the GPU's whole group), with their sysfs paths
     * @param publicKeyLine the session's SSH public key line ({@code ssh-ed25519 AAAA... comment}), or null
     * @return the VM configuration
     */
    public static VmConfig of(
            LaunchSpec spec, Path serialFile, Path vsockSocket, List<Path> devices, String publicKeyLine) {
        MemoryConfig mem = spec.hugepages()
                ? new MemoryConfig(spec.memoryBytes(), null, null, null, null, null, true, null, null, null, null, null)
                : MemoryConfig.ofSize(spec.memoryBytes());
        PayloadConfig payload = new PayloadConfig(
                null,
                spec.kernel().toString(),
                cmdline(spec.cmdline(), publicKeyLine),
                spec.initramfs() == null ? null : spec.initramfs().toString(),
                null,
                null);
        VmConfig.Builder b = VmConfig.builder()
                .cpus(CpusConfig.of(spec.vcpus()))
                .memory(mem)
                .payload(payload)
                .serial(new SerialConfig(serialFile.toString(), null, ConsoleMode.FILE))
                .console(new ConsoleConfig(null, null, ConsoleMode.OFF, null, null, null, null))
                .vsock(VsockConfig.of(GUEST_CID, vsockSocket.toString()));
        if (spec.rootfs() != null) {
            // The base image is shared by every run (and 0444 in the asset cache): the guest writes to a RAM overlay.
            b.disks(List.of(DiskConfig.builder()
                    .path(spec.rootfs().toString())
                    .readonly(true)
                    .build()));
        }
        if (!devices.isEmpty()) {
            List<DeviceConfig> devs = new ArrayList<>();
            for (Path d : devices) {
                devs.add(DeviceConfig.ofPath(d.toString(), null));
            }
            b.devices(devs);
        }
        return b.build();
    }

    /**
     * The sysfs paths CH opens for passed-through devices.
     *
     * @param sysRoot the sysfs root
     * @param addresses the devices' PCI addresses
     * @return the devices' sysfs directories, in the same order
     */
    public static List<Path> devicePaths(Path sysRoot, List<PciAddress> addresses) {
        return addresses.stream()
                .map(a -> sysRoot.resolve("bus/pci/devices").resolve(a.toString()))
                .toList();
    }

    /** The kernel command line with the public key parameter appended (type and base64 joined by ':'). */
    static String cmdline(String base, String publicKeyLine) {
        String key = null;
        if (publicKeyLine != null) {
            String[] parts = publicKeyLine.trim().split("\\s+");
            if (parts.length < 2) {
                throw new IllegalArgumentException("not an OpenSSH public key line");
            }
            key = AUTHORIZED_KEY_PARAM + parts[0] + ":" + parts[1];
        }
        if (key == null) {
            return base;
        }
        return base == null || base.isBlank() ? key : base.strip() + " " + key;
    }
}
