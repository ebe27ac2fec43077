package dev.virtualghost.vfio;

/**
 * A device cannot be used for passthrough as asked: it is absent, its IOMMU group is not viable, it has no IOMMU
 * group, or it is the boot VGA device in use by the host. Nothing was written to sysfs when this is thrown.
 */
public final class VfioDeviceException extends VfioException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line naming the device, why it cannot be used and what to try
     */
    public VfioDeviceException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with the failure behind it.
     *
     * @param message one line naming the device, why it cannot be used and what to try
     * @param cause   the failure behind it, e.g. a sysfs read error; may be null
     */
    public VfioDeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
