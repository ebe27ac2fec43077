package dev.virtualghost.launcher.cli;

import dev.virtualghost.api.PciAddress;
import dev.virtualghost.api.VirtualGhostException;
import dev.virtualghost.vfio.Gpu;
import dev.virtualghost.vfio.PciBus;
import java.nio.file.Path;
import java.util.List;

/** Resolves {@code --gpu ADDR|auto}: an address as given, or the one GPU that is not the host's boot display. */
final class GpuOption {
    private GpuOption() {}

    static PciAddress resolve(String value, Path sysRoot) {
        if (!"auto".equals(value)) {
            try {
                return PciAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CliUsageException("--gpu: " + e.getMessage());
            }
        }
        List<Gpu> candidates = PciBus.at(sysRoot).gpus().stream()
                .filter(g -> !g.display().bootVga())
                .toList();
        if (candidates.size() == 1) {
            return candidates.get(0).display().address();
        }
        if (candidates.isEmpty()) {
            throw new VirtualGhostException("--gpu auto: no GPU other than the boot display under " + sysRoot
                    + "; list them with 'virtualghost gpus' and give --gpu ADDRESS");
        }
        throw new VirtualGhostException("--gpu auto: " + candidates.size() + " GPUs could be used ("
                + String.join(
                        ", ",
                        candidates.stream()
                                .map(g -> g.display().address().toString())
                                .toList())
                + "); choose one with --gpu ADDRESS");
    }
}
