package dev.virtualghost.launcher.cli;

import dev.virtualghost.api.CheckResult;
import dev.virtualghost.api.CheckStatus;
import dev.virtualghost.api.HostCheckContext;
import dev.virtualghost.api.PciAddress;
import dev.virtualghost.launcher.Doctor;
import dev.virtualghost.launcher.DoctorReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code virtualghost doctor}: reports whether this host can run a VirtualGhost VM, with a remedy per problem. The
 * whole report goes to stdout; the exit code is 1 exactly when {@link DoctorReport#blocksLaunch()} (a failed check),
 * so warnings alone exit 0.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Check this host for KVM, IOMMU, VFIO, memlock, hugepages and cloud-hypervisor.",
            "Read-only: changes nothing. Prints the full report; exit code 1 when a check failed (something blocks"
                    + " 'run'), 0 otherwise (warnings alone do not block), so 'virtualghost doctor && ...' is safe."
        })
final class DoctorCommand implements Callable<Integer> {

    @Option(
            names = {"-m", "--memory"},
            paramLabel = "SIZE",
            converter = ByteSizeConverter.class,
            description =
                    "Guest RAM the VM will have (e.g. 8G); checks RLIMIT_MEMLOCK against it. Default: ${DEFAULT-VALUE}.",
            defaultValue = "4G")
    long memory;

    @Option(
            names = {"-d", "--device"},
            paramLabel = "PCI",
            converter = PciAddressConverter.class,
            description = "PCI device to pass through (e.g. 0000:01:00.0); checks its IOMMU group. Repeatable.")
    List<PciAddress> devices = new ArrayList<>();

    /** Kept so that scripts written for the old opt-in keep working: failing checks now always exit 1. */
    @Option(names = "--strict", hidden = true, description = "No effect: a failed check always exits with 1.")
    boolean strict;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the checks come from; the class path's providers unless a test gives others. */
    Supplier<Doctor> doctors = Doctor::fromClassPath;

    @Override
    public Integer call() {
        Doctor doctor = doctors.get();
        DoctorReport report = doctor.examine(new HostCheckContext(memory, devices));
        print(report, spec.commandLine().getOut());
        return report.blocksLaunch() ? ExitCodes.FAILED : ExitCodes.OK;
    }

    static void print(DoctorReport report, PrintWriter out) {
        if (report.results().isEmpty()) {
            out.println("No host checks found: put virtualghost-vfio and virtualghost-ch-client on the class path.");
            out.flush();
            return;
        }
        int width = report.results().stream()
                .mapToInt(r -> r.check().length())
                .max()
                .orElse(0);
        for (CheckResult r : report.results()) {
            out.printf("%-7s %-" + width + "s  %s%n", r.status(), r.check(), r.detail());
            if (!r.remedy().isEmpty()) {
                out.printf("%-7s %-" + width + "s  -> %s%n", "", "", r.remedy());
            }
        }
        out.printf(
                "%n%d checks: %d ok, %d warnings, %d failed, %d skipped. %s%n",
                report.results().size(),
                report.count(CheckStatus.OK),
                report.count(CheckStatus.WARN),
                report.count(CheckStatus.FAIL),
                report.count(CheckStatus.SKIPPED),
                report.blocksLaunch()
                        ? "This host cannot launch a VM until the failures are fixed."
                        : "This host is ready.");
        out.flush();
    }
}
