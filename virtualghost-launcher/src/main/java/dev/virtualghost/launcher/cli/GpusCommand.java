package dev.virtualghost.launcher.cli;

import dev.virtualghost.vfio.Gpu;
import dev.virtualghost.vfio.IommuGroup;
import dev.virtualghost.vfio.PciBus;
import dev.virtualghost.vfio.PciDevice;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code virtualghost gpus}: lists the host's GPUs with their companion functions, drivers and IOMMU groups, and
 * says what passing each one through would take. Read-only.
 */
@Command(name = "gpus",
        mixinStandardHelpOptions = true,
        description = {"List GPUs (PCI display devices) with their companion functions, drivers and IOMMU groups.",
            "Read-only: changes nothing."})
final class GpusCommand implements Callable<Integer> {

    @CommandLine.Mixin
    SysfsRootOption sys;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path sysRoot = sys.root;
        if (!Files.isDirectory(sysRoot.resolve("bus/pci/devices"))) {
            throw new IllegalArgumentException("no PCI devices under " + sysRoot.resolve("bus/pci/devices")
                    + ": give --sys the root of a sysfs tree (default /sys)");
        }
        PciBus bus = PciBus.at(sysRoot);
        List<Gpu> gpus = bus.gpus();
        PrintWriter out = spec.commandLine().getOut();
        if (gpus.isEmpty()) {
            out.println("No GPU: no PCI display-class device (class 0x03) under " + sysRoot.resolve("bus/pci/devices")
                    + ".");
        }
        for (Gpu gpu : gpus) {
            print(bus, gpu, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void print(PciBus bus, Gpu gpu, PrintWriter out) {
        PciDevice display = gpu.display();
        out.println(line(display) + (display.bootVga() ? "  [boot VGA: the host console is on it]" : ""));
        for (PciDevice companion : gpu.companions()) {
            out.println("  + " + line(companion));
        }
        if (display.iommuGroup() < 0) {
            out.println("  IOMMU: none (the IOMMU is off; see 'virtualghost doctor')");
            out.println();
            return;
        }
        IommuGroup group = bus.group(display.iommuGroup());
        List<PciDevice> toBind = group.devicesToBind();
        List<PciDevice> notOnVfio = toBind.stream().filter(d -> !d.isOnVfio()).toList();
        out.println("  IOMMU group " + group.number() + ": " + group.members().size() + " device(s); vfio-pci must own "
                + toBind.stream().map(d -> d.address().toString()).collect(Collectors.joining(", ")));
        if (notOnVfio.isEmpty()) {
            out.println("  ready: every device of the group is on vfio-pci");
        } else {
            out.println("  to pass through, the launcher will move from their host drivers: " + notOnVfio.stream()
                    .map(d -> d.address() + " (" + (d.driver() == null ? "no driver" : d.driver()) + ")")
                    .collect(Collectors.joining(", ")));
        }
        out.println();
    }

    private static String line(PciDevice d) {
        String name = d.name().equals(d.ids()) ? d.ids() : d.name() + " [" + d.ids() + "]";
        return d.address() + "  " + name + "  driver " + (d.driver() == null ? "(none)"
                : d.driver()) + (d.iommuGroup() >= 0 ? "  group " + d.iommuGroup() : "")
                + (d.numaNode() >= 0 ? "  numa " + d.numaNode() : "");
    }
}
