package dev.virtualghost.vfio;

import dev.virtualghost.api.VirtualGhostException;

/**
 * Root of the errors raised by the VFIO module: binding a device to vfio-pci, restoring it, or probing the host.
 * Messages are one line: what was attempted, on what, why it failed and what to try.
 */
public abstract sealed class VfioException extends VirtualGhostException
        permits VfioBindException, VfioClaimException, VfioDeviceException, VfioHostException {
    private static final long serialVersionUID = 1L;

    VfioException(String message, Throwable cause) {
        super(message, cause);
    }
}
