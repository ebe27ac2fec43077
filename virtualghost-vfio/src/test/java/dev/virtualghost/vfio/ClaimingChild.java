package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;
import java.nio.file.Path;

/**
 * A run in a process of its own, for the claim tests: binds a device of a {@link FakeSysfs} tree, prints
 * {@code BOUND <journal>} (or {@code REFUSED <message>}) and then blocks until killed, never closing its binding,
 * as a run that crashes or is killed while it holds a GPU.
 *
 * <p>Arguments: sysfs root, journal directory, claim directory, PCI address.
 */
public final class ClaimingChild {
    private ClaimingChild() {
    }

    public static void main(String[] args) throws Exception {
        FakeSysfs fs = FakeSysfs.existing(Path.of(args[0]));
        VfioBinder binder = VfioBinder.builder().bus(PciBus.at(fs.root(), PciIds.none())).writer(fs)
                .journalDirectory(Path.of(args[1])).claimDirectory(Path.of(args[2])).build();
        VfioBinding binding;
        try {
            binding = binder.bind(PciAddress.parse(args[3]));
        } catch (VfioClaimException e) {
            System.out.println("REFUSED " + e.getMessage());
            System.out.flush();
            return;
        }
        System.out.println("BOUND " + binding.journal());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
