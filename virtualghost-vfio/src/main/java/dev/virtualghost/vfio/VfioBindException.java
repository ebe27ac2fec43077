package dev.virtualghost.vfio;

import dev.virtualghost.api.PciAddress;

/**
 * A step of binding a device to vfio-pci, or of giving it back to its host driver, failed. Carries the device and
 * the step (for example {@code write driver_override}) so callers can report exactly what was left half-done.
 */
public final class VfioBindException extends VfioException {
    private static final long serialVersionUID = 1L;

    private final transient PciAddress device;
    /** The step that failed, e.g. {@code write driver_override}. */
    private final String step;

    /**
     * Creates the exception.
     *
     * @param device  the device whose step failed
     * @param step    the step that failed, e.g. {@code write driver_override} or {@code wait for driver}
     * @param message one line: what was attempted, on what, why it failed and what to try
     * @param cause   the failure behind it, e.g. the sysfs write's {@link java.io.IOException}; may be null
     */
    public VfioBindException(PciAddress device, String step, String message, Throwable cause) {
        super(message, cause);
        this.device = device;
        this.step = step;
    }

    /**
     * Returns the device whose step failed.
     *
     * @return its address; null after deserialisation (the address is not serialised)
     */
    public PciAddress device() {
        return device;
    }

    /**
     * Returns the step that failed.
     *
     * @return e.g. {@code write driver_override} or {@code wait for driver}
     */
    public String step() {
        return step;
    }
}
