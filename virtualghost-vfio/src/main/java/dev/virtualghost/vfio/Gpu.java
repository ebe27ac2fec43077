package dev.virtualghost.vfio;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A display-class device and the companion functions in its slot (HDMI/DP audio, the USB-C controller of some
 * NVIDIA cards), which share its fate in passthrough. Immutable snapshot.
 *
 * @param display    the display function (class 0x03xxxx)
 * @param companions the other functions of the same slot, ordered by address
 */
public record Gpu(PciDevice display, List<PciDevice> companions) {

    /**
     * Checks the display and copies the companions.
     *
     * @param display    the display function (class 0x03xxxx)
     * @param companions the other functions of the same slot, ordered by address; copied
     * @throws NullPointerException if {@code display} or {@code companions} (or one of its elements) is null
     */
    public Gpu {
        Objects.requireNonNull(display, "display == null");
        companions = List.copyOf(companions);
    }

    /**
     * Returns every function of the GPU, the set that is passed through together.
     *
     * @return an immutable list: the display first, then its companions in address order
     */
    public List<PciDevice> functions() {
        List<PciDevice> all = new ArrayList<>(companions.size() + 1);
        all.add(display);
        all.addAll(companions);
        return List.copyOf(all);
    }
}
