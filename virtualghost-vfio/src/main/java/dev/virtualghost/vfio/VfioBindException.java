package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;

/**
 * A step of binding a device to vfio-pci, or of giving it back to its host driver, failed. Carries the device and
 * the step (for example {@code write driver_override}) so callers can report exactly what was left half-done.
 */
public final class VfioBindException extends VfioException {
    private static final long serialVersionUID = 1L;

    private final transient PciAddress device;
    private final String step;

    public VfioBindException(PciAddress device, String step, String message, Throwable cause) {
        super(message, cause);
        this.device = device;
        this.step = step;
    }

    /** The device whose step failed. */
    public PciAddress device() {
        return device;
    }

    /** The step that failed, e.g. {@code write driver_override} or {@code wait for driver}. */
    public String step() {
        return step;
    }
}
