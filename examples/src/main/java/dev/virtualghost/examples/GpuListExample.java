package dev.virtualghost.examples;

import dev.virtualghost.api.VirtualGhostException;
import dev.virtualghost.vfio.Gpu;
import dev.virtualghost.vfio.IommuGroup;
import dev.virtualghost.vfio.PciBus;
import dev.virtualghost.vfio.PciDevice;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Lists the host's GPUs read-only through sysfs with {@link PciBus}: each display device with its same-slot
 * companions (e.g. its HDMI audio function), its IOMMU group's members, and whether the group can be passed
 * through now or which host drivers block it. Nothing is written; no root needed.
 *
 * <pre>
 * usage: GpuListExample [--sys DIR]
 * </pre>
 *
 * <p>{@code --sys} reads another tree laid out as {@code /sys} (a copy, a test tree). Mistakes (a missing tree) end
 * with one line on stderr and exit status 1; a wrong command line exits with 2.
 */
public final class GpuListExample {

    private GpuListExample() {}

    /**
     * Runs the example; see the class Javadoc for the arguments.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the example, printing to the given streams.
     *
     * @param args the command line: {@code [--sys DIR]}
     * @param out  where the listing goes
     * @param err  where the error line goes
     * @return the exit status: 0 when listed (even none), 1 on an error, 2 on a wrong command line
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path sys = Path.of("/sys");
        if (args.length == 2 && args[0].equals("--sys")) {
            sys = Path.of(args[1]);
        } else if (args.length != 0) {
            err.println("usage: GpuListExample [--sys DIR]");
            return 2;
        }
        if (!Files.isDirectory(sys.resolve("bus/pci/devices"))) {
            err.println("error: " + sys + " has no bus/pci/devices: point --sys at a tree laid out as /sys");
            return 1;
        }
        PciBus bus = sys.equals(Path.of("/sys")) ? PciBus.system() : PciBus.at(sys);
        try {
            List<Gpu> gpus = bus.gpus();
            if (gpus.isEmpty()) {
                out.println("no GPUs (display-class PCI devices) under " + sys);
                return 0;
            }
            for (Gpu gpu : gpus) {
                print(bus, gpu, out);
            }
            return 0;
        } catch (VirtualGhostException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static void print(PciBus bus, Gpu gpu, PrintStream out) {
        PciDevice display = gpu.display();
        out.println("GPU " + display.label() + " [" + display.ids() + "] driver " + driver(display)
                + (display.bootVga() ? " (boot display)" : ""));
        for (PciDevice companion : gpu.companions()) {
            out.println("  companion " + companion.label() + " driver " + driver(companion));
        }
        if (display.iommuGroup() < 0) {
            out.println("  no IOMMU group: enable the IOMMU (intel_iommu=on or amd_iommu=on) to pass it through");
            return;
        }
        IommuGroup group = bus.group(display.iommuGroup());
        out.println("  IOMMU group " + group.number() + ":");
        for (PciDevice member : group.members()) {
            out.println("    " + member.label() + " driver " + driver(member)
                    + (member.isBridge() ? " (bridge, stays with the host)" : ""));
        }
        IommuGroup.Verdict verdict = group.verdict();
        if (verdict.viable()) {
            out.println("  passthrough: viable");
        } else {
            out.println("  passthrough: blocked");
            verdict.blockers().forEach(b -> out.println("    blocker: " + b));
        }
    }

    private static String driver(PciDevice d) {
        return d.driver() == null ? "none" : d.driver();
    }
}
