package dev.virtualghost.vfio;

import com.sun.jna.LastErrorException;
import dev.virtualghost.api.CheckResult;
import dev.virtualghost.api.HostCheck;
import dev.virtualghost.api.HostCheckContext;
import dev.virtualghost.api.HostCheckProvider;
import dev.virtualghost.api.PciAddress;
import dev.virtualghost.vfio.internal.Ioctls;
import dev.virtualghost.vfio.internal.LibC;
import dev.virtualghost.vfio.internal.SysfsFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Host checks for GPU passthrough: IOMMU enabled, vfio-pci available, {@code /dev/vfio/vfio} and {@code /dev/kvm}
 * usable (real ioctls), RLIMIT_MEMLOCK against the guest memory, free hugepages, and a viable IOMMU group for each
 * device of the context. Registered through {@code META-INF/services}. Each check reads the host when run, never
 * writes it. Thread-safe.
 */
public final class VfioHostChecks implements HostCheckProvider {
    static final String IOMMU = "vfio.iommu";
    static final String VFIO_PCI = "vfio.vfio-pci";
    static final String VFIO_DEV = "vfio.dev-vfio";
    static final String KVM = "vfio.dev-kvm";
    static final String MEMLOCK = "vfio.memlock";
    static final String HUGEPAGES = "vfio.hugepages";
    static final String GROUP = "vfio.iommu-group ";

    private static final String IOMMU_REMEDY = "enable VT-d/AMD-Vi in firmware, add intel_iommu=on iommu=pt"
            + " (Intel) or amd_iommu=on iommu=pt (AMD) to the kernel command line and reboot";
    private static final String MEMLOCK_REMEDY =
            "ulimit -l unlimited or give cloud-hypervisor CAP_IPC_LOCK (setcap cap_ipc_lock=ep <cloud-hypervisor>)";
    private static final int CAP_IPC_LOCK = 14;

    private final Path sysRoot;
    private final Path devRoot;
    private final Path modulesRoot;
    private final Path procRoot;

    /** Checks of this host: {@code /sys}, {@code /dev}, {@code /lib/modules}, {@code /proc}. */
    public VfioHostChecks() {
        this(Path.of("/sys"), Path.of("/dev"), Path.of("/lib/modules"), Path.of("/proc"));
    }

    /**
     * Checks reading the given roots instead of the host's (for tests and chroots).
     *
     * @param sysRoot     the directory that plays {@code /sys}
     * @param devRoot     the directory that plays {@code /dev}
     * @param modulesRoot the directory that plays {@code /lib/modules}
     * @param procRoot    the directory that plays {@code /proc}
     */
    public VfioHostChecks(Path sysRoot, Path devRoot, Path modulesRoot, Path procRoot) {
        this.sysRoot = sysRoot;
        this.devRoot = devRoot;
        this.modulesRoot = modulesRoot;
        this.procRoot = procRoot;
    }

    @Override
    public List<HostCheck> checks(HostCheckContext context) {
        List<HostCheck> out = new ArrayList<>();
        out.add(HostCheck.of(IOMMU, this::iommu));
        out.add(HostCheck.of(VFIO_PCI, this::vfioPci));
        out.add(HostCheck.of(VFIO_DEV, this::devVfio));
        out.add(HostCheck.of(KVM, this::devKvm));
        out.add(HostCheck.of(MEMLOCK, () -> memlock(context.guestMemoryBytes())));
        out.add(HostCheck.of(HUGEPAGES, () -> hugepages(context.guestMemoryBytes())));
        for (PciAddress a : context.devices()) {
            out.add(HostCheck.of(GROUP + a, () -> group(a)));
        }
        return List.copyOf(out);
    }

    CheckResult iommu() {
        long groups = count(sysRoot.resolve("kernel/iommu_groups"));
        if (groups > 0) {
            return CheckResult.ok(IOMMU, groups + " IOMMU groups in " + sysRoot.resolve("kernel/iommu_groups"));
        }
        long units = count(sysRoot.resolve("class/iommu"));
        if (units > 0) {
            return CheckResult.ok(IOMMU, units + " IOMMU units in " + sysRoot.resolve("class/iommu"));
        }
        return CheckResult.fail(
                IOMMU,
                "no IOMMU groups in " + sysRoot.resolve("kernel/iommu_groups") + ": the IOMMU is off",
                IOMMU_REMEDY);
    }

    CheckResult vfioPci() {
        if (Files.isDirectory(sysRoot.resolve("bus/pci/drivers/vfio-pci"))) {
            return CheckResult.ok(VFIO_PCI, "vfio-pci driver loaded");
        }
        String release = read(procRoot.resolve("sys/kernel/osrelease"));
        if (release != null && release.matches("[A-Za-z0-9._+~-]+")) {
            Path dir = modulesRoot.resolve(release);
            for (String index : List.of("modules.dep", "modules.builtin")) {
                if (mentionsVfioPci(dir.resolve(index))) {
                    return CheckResult.warn(
                            VFIO_PCI, "vfio-pci is available in " + dir + " but not loaded", "modprobe vfio-pci");
                }
            }
        }
        return CheckResult.fail(
                VFIO_PCI,
                "vfio-pci is neither loaded nor found in " + modulesRoot + (release == null ? "" : "/" + release),
                "install a kernel with CONFIG_VFIO_PCI, then modprobe vfio-pci");
    }

    CheckResult devVfio() {
        Path dev = devRoot.resolve("vfio/vfio");
        if (!Files.exists(dev)) {
            return CheckResult.fail(
                    VFIO_DEV,
                    dev + " does not exist",
                    "modprobe vfio-pci on a host with the IOMMU enabled, so that " + dev + " appears");
        }
        try {
            long[] r = Ioctls.query(dev.toString(), new long[][] {
                {Ioctls.VFIO_GET_API_VERSION, 0},
                {Ioctls.VFIO_CHECK_EXTENSION, Ioctls.VFIO_TYPE1V2_IOMMU},
                {Ioctls.VFIO_CHECK_EXTENSION, Ioctls.VFIO_TYPE1_IOMMU}
            });
            if (r[0] != 0) {
                return CheckResult.fail(
                        VFIO_DEV,
                        dev + " reports VFIO API " + r[0] + ", expected 0",
                        "use a kernel whose VFIO matches linux/vfio.h (VFIO_API_VERSION 0)");
            }
            if (r[1] > 0) {
                return CheckResult.ok(VFIO_DEV, dev + ": VFIO API 0, Type1v2 IOMMU supported");
            }
            if (r[2] > 0) {
                return CheckResult.warn(
                        VFIO_DEV,
                        dev + ": only the Type1 (v1) IOMMU is supported",
                        "use a kernel 3.16 or newer for the Type1v2 IOMMU backend");
            }
            return CheckResult.fail(
                    VFIO_DEV,
                    dev + ": no Type1 IOMMU backend",
                    "modprobe vfio_iommu_type1 (and check the IOMMU is enabled)");
        } catch (LastErrorException e) {
            return CheckResult.fail(
                    VFIO_DEV,
                    "open/ioctl " + dev + ": " + LibC.describe(e),
                    "run as root or give the user read-write access to " + dev);
        } catch (UnsatisfiedLinkError e) {
            return CheckResult.skipped(VFIO_DEV, "libc not reachable through JNA: " + e.getMessage());
        }
    }

    CheckResult devKvm() {
        Path dev = devRoot.resolve("kvm");
        if (!Files.exists(dev)) {
            return CheckResult.fail(
                    KVM,
                    dev + " does not exist",
                    "enable virtualization (VT-x/AMD-V) in firmware and modprobe kvm_intel or kvm_amd");
        }
        try {
            long version = Ioctls.query(dev.toString(), new long[][] {{Ioctls.KVM_GET_API_VERSION, 0}})[0];
            if (version == 12) {
                return CheckResult.ok(KVM, dev + ": KVM API 12");
            }
            return CheckResult.fail(
                    KVM,
                    dev + " reports KVM API " + version + ", expected 12",
                    "use a stock Linux kernel KVM (API 12)");
        } catch (LastErrorException e) {
            return CheckResult.fail(
                    KVM,
                    "open/ioctl " + dev + ": " + LibC.describe(e),
                    "add the user to the kvm group (usermod -aG kvm $USER) or run as root");
        } catch (UnsatisfiedLinkError e) {
            return CheckResult.skipped(KVM, "libc not reachable through JNA: " + e.getMessage());
        }
    }

    CheckResult memlock(long guestMemoryBytes) {
        if (guestMemoryBytes == 0) {
            return CheckResult.skipped(MEMLOCK, "no guest memory size given");
        }
        // Read this process's limits: the launcher starts cloud-hypervisor as a child, which inherits them.
        boolean privileged;
        long soft;
        try {
            privileged = LibC.INSTANCE.geteuid() == 0 || hasCapIpcLock();
            LibC.RLimit lim = new LibC.RLimit();
            LibC.INSTANCE.getrlimit(LibC.RLIMIT_MEMLOCK, lim);
            soft = lim.rlim_cur.longValue();
        } catch (LastErrorException e) {
            return CheckResult.fail(MEMLOCK, "getrlimit(RLIMIT_MEMLOCK): " + LibC.describe(e), MEMLOCK_REMEDY);
        } catch (UnsatisfiedLinkError e) {
            return CheckResult.skipped(MEMLOCK, "libc not reachable through JNA: " + e.getMessage());
        }
        return memlockVerdict(soft, guestMemoryBytes, privileged);
    }

    /**
     * The memlock verdict as a pure function. VFIO pins all guest RAM (vfio_pin_pages counts it against
     * RLIMIT_MEMLOCK unless the task has CAP_IPC_LOCK), so the soft limit must cover it.
     *
     * @param softLimit        RLIMIT_MEMLOCK soft limit in bytes; negative means RLIM_INFINITY (all ones)
     * @param guestMemoryBytes guest RAM to pin
     * @param privileged       euid 0 or CAP_IPC_LOCK
     */
    static CheckResult memlockVerdict(long softLimit, long guestMemoryBytes, boolean privileged) {
        if (privileged) {
            return CheckResult.ok(MEMLOCK, "running as root / with CAP_IPC_LOCK: exempt from RLIMIT_MEMLOCK");
        }
        if (softLimit < 0) {
            return CheckResult.ok(MEMLOCK, "RLIMIT_MEMLOCK is unlimited");
        }
        if (softLimit >= guestMemoryBytes) {
            return CheckResult.ok(
                    MEMLOCK, "RLIMIT_MEMLOCK " + mib(softLimit) + " covers guest memory " + mib(guestMemoryBytes));
        }
        return CheckResult.fail(
                MEMLOCK,
                "RLIMIT_MEMLOCK " + mib(softLimit) + " is below guest memory " + mib(guestMemoryBytes)
                        + ": VFIO cannot pin it and the VM dies at boot",
                MEMLOCK_REMEDY);
    }

    CheckResult hugepages(long guestMemoryBytes) {
        Path dir = sysRoot.resolve("kernel/mm/hugepages");
        long freeBytes = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "hugepages-*kB")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                long kb = Long.parseLong(name.substring("hugepages-".length(), name.length() - 2));
                String free = read(p.resolve("free_hugepages"));
                if (free != null && free.matches("\\d+")) {
                    freeBytes += Long.parseLong(free) * kb * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return CheckResult.warn(
                    HUGEPAGES, "cannot read " + dir + ": " + e.getMessage(), "mount sysfs and check CONFIG_HUGETLBFS");
        }
        String remedy = "reserve hugepages: echo N > " + dir.resolve("hugepages-2048kB/nr_hugepages")
                + " (or hugepages=N on the kernel command line)";
        if (freeBytes == 0) {
            return CheckResult.warn(
                    HUGEPAGES, "no free hugepages: guest RAM uses 4 KiB pages, more IOMMU mappings", remedy);
        }
        if (guestMemoryBytes > freeBytes) {
            return CheckResult.warn(
                    HUGEPAGES,
                    "free hugepages " + mib(freeBytes) + " are below guest memory " + mib(guestMemoryBytes),
                    remedy);
        }
        return CheckResult.ok(HUGEPAGES, mib(freeBytes) + " of free hugepages");
    }

    CheckResult group(PciAddress a) {
        String name = GROUP + a;
        PciBus bus = PciBus.at(sysRoot);
        IommuGroup g;
        try {
            g = bus.groupOf(a);
        } catch (VfioException e) {
            return CheckResult.fail(name, e.getMessage(), "check the address with lspci -D and enable the IOMMU");
        }
        IommuGroup.Verdict v = g.verdict();
        List<String> members = g.members().stream().map(PciDevice::label).toList();
        if (v.viable()) {
            return CheckResult.ok(name, "IOMMU group " + g.number() + " is viable: " + String.join(", ", members));
        }
        boolean bridgeBlocks = g.members().stream().anyMatch(m -> m.isBridge() && IommuGroup.blocks(m));
        String detail = "IOMMU group " + g.number() + ": " + String.join("; ", v.blockers());
        if (bridgeBlocks) {
            return CheckResult.fail(
                    name,
                    detail,
                    "move the GPU to a slot with its own IOMMU group (ACS) or unbind the bridge's driver");
        }
        return CheckResult.warn(
                name,
                detail,
                "binding " + a + " moves it and its slot's functions to vfio-pci for the VM's lifetime; other host"
                        + " devices in the group are refused unless explicitly allowed (allowUnrelatedGroupMembers)");
    }

    private boolean hasCapIpcLock() {
        String status = read(procRoot.resolve("self/status"));
        if (status == null) {
            return false;
        }
        try (Stream<String> lines = status.lines()) {
            return lines.filter(l -> l.startsWith("CapEff:"))
                    .map(l -> l.substring("CapEff:".length()).strip())
                    .anyMatch(hex -> (Long.parseUnsignedLong(hex, 16) & (1L << CAP_IPC_LOCK)) != 0);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static long count(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    // Kernel attributes (sysfs, procfs): a page at most, regular files only, bounded wait (see SysfsFiles).
    private static String read(Path file) {
        try {
            return SysfsFiles.read(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** The most a module index may hold (modules.dep is a few hundred KiB); a bigger file is not one. */
    private static final long MODULE_INDEX_MAX = 64L << 20;

    // A module index is searched line by line, so its size never becomes heap; only regular files of sane size.
    private static boolean mentionsVfioPci(Path index) {
        try {
            if (!Files.isRegularFile(index) || Files.size(index) > MODULE_INDEX_MAX) {
                return false;
            }
            try (Stream<String> lines = Files.lines(index, StandardCharsets.ISO_8859_1)) {
                return lines.anyMatch(l -> l.contains("/vfio-pci.ko") || l.contains("/vfio_pci.ko"));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }
}
