package dev.virtualghost.launcher.internal;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.api.VirtualGhostException;
import dev.virtualghost.launcher.LaunchSpec;
import dev.virtualghost.vfio.PciBus;
import dev.virtualghost.vfio.PciDevice;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checks a launch runs before it touches anything, shared by the {@code preflight} step and
 * {@code run --dry-run}. Each failure is a {@link VirtualGhostException} whose message says what to do.
 */
public final class Preflight {
    private Preflight() {}

    /**
     * Runs every check {@code spec} needs.
     *
     * @param spec the launch
     */
    public static void check(LaunchSpec spec) {
        resolveChBinary(spec);
        requireFile("kernel", spec.kernel(), "--kernel");
        if (spec.initramfs() != null) {
            requireFile("initramfs", spec.initramfs(), "--initramfs");
        }
        if (spec.rootfs() != null) {
            requireFile("root disk", spec.rootfs(), "--rootfs");
        }
        spec.gpuAddress().ifPresent(gpu -> checkGpu(spec.sysRoot(), gpu));
    }

    /**
     * The VMM binary the launch will run: the spec's, else {@code cloud-hypervisor} on {@code PATH}.
     *
     * @param spec the launch
     * @return the binary's absolute path
     */
    public static Path resolveChBinary(LaunchSpec spec) {
        if (spec.chBinary() != null) {
            Path b = spec.chBinary();
            if (!Files.isRegularFile(b)) {
                throw new VirtualGhostException("cloud-hypervisor binary " + b + " does not exist; "
                        + "point --ch-binary at an installed cloud-hypervisor");
            }
            if (!Files.isExecutable(b)) {
                throw new VirtualGhostException("cloud-hypervisor binary " + b + " is not executable; chmod +x it");
            }
            return b;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, "cloud-hypervisor");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new VirtualGhostException("cloud-hypervisor is not on PATH; install it or give --ch-binary");
    }

    private static void requireFile(String what, Path file, String flag) {
        if (!Files.exists(file)) {
            throw new VirtualGhostException(what + " " + file + " does not exist; check " + flag);
        }
        if (!Files.isRegularFile(file)) {
            throw new VirtualGhostException(what + " " + file + " is not a regular file; check " + flag);
        }
        if (!Files.isReadable(file)) {
            throw new VirtualGhostException(
                    what + " " + file + " is not readable by this user; check its " + "permissions");
        }
    }

    private static void checkGpu(Path sysRoot, PciAddress gpu) {
        PciBus bus = PciBus.at(sysRoot);
        Optional<PciDevice> device;
        try {
            device = bus.device(gpu);
        } catch (RuntimeException e) {
            throw new VirtualGhostException(
                    "cannot read PCI device " + gpu + " under " + sysRoot + ": " + e.getMessage(), e);
        }
        if (device.isEmpty()) {
            throw new VirtualGhostException(
                    "no PCI device " + gpu + " under " + sysRoot + "; list the GPUs with 'virtualghost gpus'");
        }
        try {
            bus.groupOf(gpu);
        } catch (RuntimeException e) {
            throw new VirtualGhostException(e.getMessage(), e);
        }
        // Whether the group may be bound (bridges, boot VGA, devices outside the slot) is VfioBinder's policy,
        // checked before its first sysfs write.
    }
}
