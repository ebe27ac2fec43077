package dev.virtualghost.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.virtualghost.api.CheckResult;
import dev.virtualghost.api.CheckStatus;
import dev.virtualghost.api.HostCheck;
import dev.virtualghost.api.HostCheckContext;
import dev.virtualghost.api.HostCheckProvider;
import dev.virtualghost.api.PciAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host checks: the real ones against this machine, the rest against fake roots and as pure functions. */
class VfioHostChecksTest {
    static final long GIB = 1L << 30;

    @TempDir
    Path tmp;

    @Test
    void registeredThroughServiceLoader() {
        List<HostCheckProvider> providers = ServiceLoader.load(HostCheckProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        assertThat(providers).hasAtLeastOneElementOfType(VfioHostChecks.class);
        List<HostCheck> checks =
                new VfioHostChecks().checks(new HostCheckContext(GIB, List.of(PciAddress.parse("0000:01:00.0"))));
        assertThat(checks)
                .extracting(HostCheck::name)
                .containsExactly(
                        "vfio.iommu",
                        "vfio.vfio-pci",
                        "vfio.dev-vfio",
                        "vfio.dev-kvm",
                        "vfio.memlock",
                        "vfio.hugepages",
                        "vfio.iommu-group 0000:01:00.0");
        assertThat(checks).allSatisfy(c -> assertThat(c.run().check()).isEqualTo(c.name()));
    }

    @Test
    void realDevKvmWorks() {
        assumeTrue(Files.exists(Path.of("/dev/kvm")), "/dev/kvm absent on this machine");
        CheckResult r = new VfioHostChecks().devKvm();
        assertThat(r.status()).as(r.toString()).isEqualTo(CheckStatus.OK);
        assertThat(r.detail()).contains("KVM API 12");
    }

    @Test
    void realDevVfioAbsentSaysSoWithRemedy() {
        assumeTrue(!Files.exists(Path.of("/dev/vfio/vfio")), "/dev/vfio/vfio exists on this machine");
        CheckResult r = new VfioHostChecks().devVfio();
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).isEqualTo("/dev/vfio/vfio does not exist");
        assertThat(r.remedy()).contains("modprobe vfio-pci");
    }

    @Test
    void realIommuVerdictMatchesLspci() throws Exception {
        // Independent oracle: pciutils reads each device's iommu_group link itself and prints "IOMMUGroup:" in
        // lspci -vmm (lspci.c show_machine). Any group there means the IOMMU is on; none means off, as every
        // IOMMU group of an x86 host holds at least one PCI device.
        Path lspci = Stream.of("/usr/bin/lspci", "/usr/sbin/lspci", "/sbin/lspci", "/bin/lspci")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        assumeTrue(lspci != null, "lspci not installed (apt-get install pciutils); no independent IOMMU oracle");
        Process p = new ProcessBuilder(lspci.toString(), "-vmm", "-D")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("lspci finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(out).as("lspci -vmm output").contains("Slot:\t");
        long groups = out.lines()
                .filter(l -> l.startsWith("IOMMUGroup:\t"))
                .map(l -> l.substring(12).strip())
                .distinct()
                .count();

        CheckResult r = new VfioHostChecks().iommu();
        if (groups > 0) {
            assertThat(r.status()).as(r.toString()).isEqualTo(CheckStatus.OK);
            Matcher m = Pattern.compile("(\\d+) IOMMU groups in /sys/kernel/iommu_groups")
                    .matcher(r.detail());
            assertThat(m.matches()).as(r.detail()).isTrue();
            assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(groups);
        } else {
            assertThat(r.status()).as(r.toString()).isEqualTo(CheckStatus.FAIL);
            assertThat(r.detail()).isEqualTo("no IOMMU groups in /sys/kernel/iommu_groups: the IOMMU is off");
            assertThat(r.remedy()).contains("intel_iommu=on iommu=pt").contains("reboot");
        }
    }

    @Test
    void realMemlockAsRootIsExempt() {
        assumeTrue(dev.virtualghost.vfio.internal.LibC.INSTANCE.geteuid() == 0, "not running as root (euid != 0)");
        CheckResult r = new VfioHostChecks().memlock(64 * GIB);
        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        assertThat(r.detail()).contains("exempt");
        assertThat(new VfioHostChecks().memlock(0).status()).isEqualTo(CheckStatus.SKIPPED);
    }

    @Test
    void memlockLimitLogic() {
        CheckResult low = VfioHostChecks.memlockVerdict(8L << 20, 16 * GIB, false);
        assertThat(low.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(low.detail()).contains("8 MiB").contains("16384 MiB");
        assertThat(low.remedy()).contains("ulimit -l unlimited").contains("CAP_IPC_LOCK");
        assertThat(VfioHostChecks.memlockVerdict(-1, 16 * GIB, false).status()).isEqualTo(CheckStatus.OK);
        assertThat(VfioHostChecks.memlockVerdict(16 * GIB, 16 * GIB, false).status())
                .isEqualTo(CheckStatus.OK);
        assertThat(VfioHostChecks.memlockVerdict(16 * GIB - 1, 16 * GIB, false).status())
                .isEqualTo(CheckStatus.FAIL);
        assertThat(VfioHostChecks.memlockVerdict(0, 16 * GIB, true).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void hugepagesWarnWhenNoneFree() throws Exception {
        Path sys = tmp.resolve("sys");
        Path two = Files.createDirectories(sys.resolve("kernel/mm/hugepages/hugepages-2048kB"));
        Path one = Files.createDirectories(sys.resolve("kernel/mm/hugepages/hugepages-1048576kB"));
        Files.writeString(two.resolve("free_hugepages"), "0\n");
        Files.writeString(one.resolve("free_hugepages"), "0\n");
        VfioHostChecks checks = roots(sys);
        CheckResult none = checks.hugepages(GIB);
        assertThat(none.status()).isEqualTo(CheckStatus.WARN);
        assertThat(none.remedy()).contains("nr_hugepages");

        Files.writeString(two.resolve("free_hugepages"), "512\n");
        assertThat(checks.hugepages(GIB).status()).isEqualTo(CheckStatus.OK);
        assertThat(checks.hugepages(GIB).detail()).isEqualTo("1024 MiB of free hugepages");
        assertThat(checks.hugepages(2 * GIB).status()).isEqualTo(CheckStatus.WARN);
    }

    @Test
    void kernelAttributesThatAreFifosOrHugeNeitherHangNorExhaustTheHeap() throws Exception {
        Path sys = tmp.resolve("sys");
        Path kernel = Files.createDirectories(tmp.resolve("proc/sys/kernel"));
        Process mkfifo =
                new ProcessBuilder("mkfifo", kernel.resolve("osrelease").toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        Path two = Files.createDirectories(sys.resolve("kernel/mm/hugepages/hugepages-2048kB"));
        Files.createSymbolicLink(two.resolve("free_hugepages"), Path.of("/dev/zero"));
        VfioHostChecks checks = roots(sys);

        long start = System.nanoTime();
        assertThat(checks.vfioPci().status()).isEqualTo(CheckStatus.FAIL);
        assertThat(checks.hugepages(GIB).status()).isEqualTo(CheckStatus.WARN);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(3));
    }

    @Test
    void vfioPciLoadedAvailableOrMissing() throws Exception {
        Path sys = tmp.resolve("sys");
        Path proc = Files.createDirectories(tmp.resolve("proc/sys/kernel"));
        Files.writeString(proc.resolve("osrelease"), "6.1.0-test-amd64\n");
        Path mods = Files.createDirectories(tmp.resolve("modules/6.1.0-test-amd64"));
        Files.writeString(mods.resolve("modules.dep"), "kernel/drivers/net/dummy.ko.xz:\n");
        VfioHostChecks checks = roots(sys);

        CheckResult missing = checks.vfioPci();
        assertThat(missing.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(missing.remedy()).contains("modprobe vfio-pci");

        Files.writeString(
                mods.resolve("modules.dep"),
                "kernel/drivers/vfio/pci/vfio-pci.ko.xz: kernel/drivers/vfio/vfio.ko.xz\n");
        CheckResult available = checks.vfioPci();
        assertThat(available.status()).isEqualTo(CheckStatus.WARN);
        assertThat(available.remedy()).isEqualTo("modprobe vfio-pci");

        Files.createDirectories(sys.resolve("bus/pci/drivers/vfio-pci"));
        assertThat(checks.vfioPci().status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void iommuFromFakeRoots() throws Exception {
        Path sys = tmp.resolve("sys");
        Files.createDirectories(sys.resolve("kernel/iommu_groups"));
        CheckResult off = roots(sys).iommu();
        assertThat(off.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(off.detail())
                .isEqualTo("no IOMMU groups in " + sys.resolve("kernel/iommu_groups") + ": the IOMMU is off");
        assertThat(off.remedy()).contains("intel_iommu=on iommu=pt").contains("amd_iommu=on");

        // IOMMU units registered (class/iommu: dmar0, dmar1) but no group yet: still on.
        Files.createDirectories(sys.resolve("class/iommu/dmar0"));
        Files.createDirectories(sys.resolve("class/iommu/dmar1"));
        CheckResult units = roots(sys).iommu();
        assertThat(units.status()).isEqualTo(CheckStatus.OK);
        assertThat(units.detail()).isEqualTo("2 IOMMU units in " + sys.resolve("class/iommu"));

        for (String g : List.of("0", "1", "12")) {
            Files.createDirectories(
                    sys.resolve("kernel/iommu_groups").resolve(g).resolve("devices"));
        }
        CheckResult on = roots(sys).iommu();
        assertThat(on.status()).isEqualTo(CheckStatus.OK);
        assertThat(on.detail()).isEqualTo("3 IOMMU groups in " + sys.resolve("kernel/iommu_groups"));
    }

    @Test
    void groupCheckListsBlockers() throws Exception {
        FakeSysfs fs = Rigs.desktop(tmp);
        VfioHostChecks checks = roots(fs.root());
        CheckResult r = checks.group(PciAddress.parse(Rigs.GPU));
        assertThat(r.status()).isEqualTo(CheckStatus.WARN);
        assertThat(r.detail()).contains("IOMMU group 12").contains(Rigs.AUDIO).contains("is bound to snd_hda_intel");
        assertThat(r.remedy()).contains("binding " + Rigs.GPU).contains("allowUnrelatedGroupMembers");

        CheckResult noGroup = checks.group(PciAddress.parse(Rigs.NIC));
        assertThat(noGroup.status()).isEqualTo(CheckStatus.FAIL);
        CheckResult absent = checks.group(PciAddress.parse("0000:0b:00.0"));
        assertThat(absent.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(absent.detail()).contains("no such device");

        FakeSysfs clean = new FakeSysfs(tmp.resolve("sys2"));
        clean.device(Rigs.GPU, null, 0x10de, 0x2684, 0x030000, PciDevice.VFIO_PCI, 4);
        assertThat(roots(clean.root()).group(PciAddress.parse(Rigs.GPU)).status())
                .isEqualTo(CheckStatus.OK);
    }

    private VfioHostChecks roots(Path sys) {
        return new VfioHostChecks(sys, tmp.resolve("dev"), tmp.resolve("modules"), tmp.resolve("proc"));
    }
}
