package dev.virtualghost.launcher.cli;

import dev.virtualghost.vfio.Gpu;
import dev.virtualghost.vfio.IommuGroup;
import dev.virtualghost.vfio.PciBus;
import dev.virtualghost.vfio.PciDevice;
import dev.virtualghost.vfio.VfioException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code virtualghost gpus}: lists the host's GPUs with their companion functions, drivers and IOMMU groups, and
 * says what passing each one through would take. Read-only. Exit codes: 0 listed, 1 the sysfs tree is not one the
 * kernel would make (one line saying what), 2 {@code --sys} names no sysfs tree.
 */
@Command(
        name = "gpus",
        mixinStandardHelpOptions = true,
        description = {
            "List GPUs (PCI display devices) with their companion functions, drivers and IOMMU groups.",
            "Read-only: changes nothing."
        })
final class GpusCommand implements Callable<Integer> {

    @CommandLine.Mixin
    SysfsRootOption sys;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path sysRoot = sys.root;
        if (!Files.isDirectory(sysRoot.resolve("bus/pci/devices"))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "no PCI devices under "
                            + CleanCommand.printable(
                                    sysRoot.resolve("bus/pci/devices").toString())
                            + ": give --sys the root of a sysfs tree (default /sys)");
        }
        PciBus bus = PciBus.at(sysRoot);
        PrintWriter out = spec.commandLine().getOut();
        StringWriter listing = new StringWriter();
        try (PrintWriter buffer = new PrintWriter(listing)) {
            List<Gpu> gpus = bus.gpus();
            if (gpus.isEmpty()) {
                buffer.println("No GPU: no PCI display-class device (class 0x03) under "
                        + sysRoot.resolve("bus/pci/devices") + ".");
            }
            for (Gpu gpu : gpus) {
                print(bus, gpu, buffer);
            }
        } catch (VfioException e) {
            // A tree the kernel would not make (an invalid driver link, an attribute that is no file): one line, 1.
            spec.commandLine().getErr().println("virtualghost: " + CleanCommand.printable(e.getMessage()));
            return ExitCodes.FAILED;
        }
        // Names come from sysfs and pci.ids: nothing but printable characters reaches the terminal.
        listing.toString().lines().map(CleanCommand::printableChars).forEach(out::println);
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
            out.println("  to pass through, the launcher will move from their host drivers: "
                    + notOnVfio.stream()
                            .map(d -> d.address() + " (" + (d.driver() == null ? "no driver" : d.driver()) + ")")
                            .collect(Collectors.joining(", ")));
        }
        out.println();
    }

    private static String line(PciDevice d) {
        String name = d.name().equals(d.ids()) ? d.ids() : d.name() + " [" + d.ids() + "]";
        return d.address() + "  " + name + "  driver " + (d.driver() == null ? "(none)" : d.driver())
                + (d.iommuGroup() >= 0 ? "  group " + d.iommuGroup() : "")
                + (d.numaNode() >= 0 ? "  numa " + d.numaNode() : "");
    }
}
