package dev.virtualghost.vfio;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An IOMMU group: the smallest set of devices the IOMMU can isolate, which VFIO hands to a guest as a whole.
 * Immutable snapshot.
 *
 * @param number  the group number ({@code /sys/kernel/iommu_groups/<number>})
 * @param members every device of the group, ordered by address
 */
public record IommuGroup(int number, List<PciDevice> members) {

    /** The driver of PCIe root and switch ports; vfio tolerates it on bridges in a group. */
    public static final String PCIEPORT = "pcieport";

    /**
     * Copies the members.
     *
     * @param number  the group number ({@code /sys/kernel/iommu_groups/<number>})
     * @param members every device of the group, ordered by address; copied
     * @throws NullPointerException if {@code members} or one of its elements is null
     */
    public IommuGroup {
        members = List.copyOf(Objects.requireNonNull(members, "members == null"));
    }

    /**
     * Whether the group can be passed through right now, and what stops it. A member blocks when it is bound to a
     * host driver other than vfio-pci; bridges (class 0x0604) are tolerated with no driver or pcieport, and a
     * device with no driver is fine (vfio-pci can take it).
     *
     * @return the verdict for this snapshot; re-read the group through {@link PciBus} to see changes
     */
    public Verdict verdict() {
        List<String> blockers = new ArrayList<>();
        for (PciDevice d : members) {
            if (blocks(d)) {
                blockers.add(d.label() + " is bound to " + d.driver());
            }
        }
        return new Verdict(blockers.isEmpty(), blockers);
    }

    /**
     * Returns the members vfio-pci must own for passthrough: all but bridges.
     *
     * @return an immutable list in address order
     */
    public List<PciDevice> devicesToBind() {
        return members.stream().filter(d -> !d.isBridge()).toList();
    }

    static boolean blocks(PciDevice d) {
        if (d.driver() == null || d.isOnVfio()) {
            return false;
        }
        return !(d.isBridge() && PCIEPORT.equals(d.driver()));
    }

    /**
     * The viability verdict of a group.
     *
     * @param viable   no member blocks
     * @param blockers one line per blocking member, e.g. "0000:01:00.1 (NVIDIA ... Audio) is bound to snd_hda_intel"
     */
    public record Verdict(boolean viable, List<String> blockers) {
        /**
         * Copies the blockers.
         *
         * @param viable   no member blocks
         * @param blockers one line per blocking member; copied
         * @throws NullPointerException if {@code blockers} or one of its elements is null
         */
        public Verdict {
            blockers = List.copyOf(blockers);
        }

        @Override
        public String toString() {
            return viable ? "viable" : "not viable: " + String.join("; ", blockers);
        }
    }
}
