package dev.virtualghost.vfio;

/**
 * A device cannot be used for passthrough as asked: it is absent, its IOMMU group is not viable, it has no IOMMU
 * group, or it is the boot VGA device in use by the host. Nothing was written to sysfs when this is thrown.
 */
public final class VfioDeviceException extends VfioException {
    private static final long serialVersionUID = 1L;

    public VfioDeviceException(String message) {
        super(message, null);
    }

    public VfioDeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
