package dev.virtualghost.launcher.cli;

import dev.virtualghost.api.VirtualGhostException;
import dev.virtualghost.ch.model.VmConfig;
import dev.virtualghost.launcher.LaunchSpec;
import dev.virtualghost.launcher.Launcher;
import dev.virtualghost.launcher.RunJournal;
import dev.virtualghost.launcher.Step;
import dev.virtualghost.launcher.internal.Preflight;
import dev.virtualghost.launcher.internal.VmConfigJson;
import dev.virtualghost.launcher.internal.VmConfigs;
import dev.virtualghost.vfio.IommuGroup;
import dev.virtualghost.vfio.PciBus;
import dev.virtualghost.vfio.PciDevice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code run --dry-run}: the same preflight checks as a real run, then the plan (steps, paths, devices) and the
 * exact {@code vm.create} body, without creating, binding or starting anything.
 */
final class DryRun {
    private final LaunchSpec spec;
    private final String mode;
    private final List<String> guestOrigins;
    private final PrintWriter out;
    private final PrintWriter err;

    DryRun(LaunchSpec spec, String mode, List<String> guestOrigins, PrintWriter out, PrintWriter err) {
        this.spec = spec;
        this.mode = mode;
        this.guestOrigins = guestOrigins;
        this.out = out;
        this.err = err;
    }

    int print() {
        Path binary;
        List<PciDevice> group = List.of();
        try {
            Preflight.check(spec);
            binary = Preflight.resolveChBinary(spec);
            if (spec.gpu() != null) {
                IommuGroup g = PciBus.at(spec.sysRoot()).groupOf(spec.gpu());
                group = g.devicesToBind();
            }
        } catch (VirtualGhostException e) {
            err.println("virtualghost: " + VirtualGhostCommand.oneLine(e.getMessage()));
            return ExitCodes.HOST;
        }
        Path runDir = spec.runtimeRoot().resolve(RunJournal.RUNS).resolve("<id>");
        Path serial = runDir.resolve("vmm/serial.log");
        Path vsock = runDir.resolve("vsock.sock");
        List<Path> devices = VmConfigs.devicePaths(
                spec.sysRoot(), group.stream().map(PciDevice::address).toList());
        VmConfig config = VmConfigs.of(
                spec, serial, vsock, devices, spec.ssh() ? "ssh-ed25519 <the session's fresh public key>" : null);
        out.println("Plan (dry run: nothing was touched)");
        out.println("  mode:         " + mode);
        out.println("  vmm:          " + binary);
        out.println("  guest:        " + (guestOrigins.isEmpty() ? "(none)" : guestOrigins.get(0)));
        for (String origin : guestOrigins.subList(Math.min(1, guestOrigins.size()), guestOrigins.size())) {
            out.println("                  " + origin);
        }
        out.println("  run dir:      " + runDir + " (0700; journal " + RunJournal.FILE + ")");
        if (!group.isEmpty()) {
            out.println("  gpu:          " + spec.gpu() + " with its IOMMU group:");
            for (PciDevice d : group) {
                out.println("                  " + d.label() + " on " + (d.driver() == null ? "no driver" : d.driver())
                        + " -> vfio-pci");
            }
        } else {
            out.println("  gpu:          none (headless)");
        }
        out.print("  steps:        ");
        out.println(String.join(
                ", ", Launcher.defaultSteps().stream().map(Step::name).toList()));
        out.println("vm.create body:");
        out.println(VmConfigJson.write(config));
        out.flush();
        return ExitCodes.OK;
    }
}
