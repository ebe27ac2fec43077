package dev.virtualghost.vfio;

import java.util.OptionalLong;

/**
 * A device or its IOMMU group is claimed by another live binding (another run, or another binder in this process),
 * so it was left alone: nothing was written to sysfs and no journal was replayed. The claim is an {@code flock} the
 * kernel drops when its holder dies, so once that holder is gone the device can be bound or recovered.
 */
public final class VfioClaimException extends VfioException {
    private static final long serialVersionUID = 1L;

    /** The holder's pid, or -1 when unknown. */
    private final long holderPid;

    /**
     * Creates the exception.
     *
     * @param message   one line naming the device or group, the holder and what to do
     * @param holderPid the pid of the claim's holder, as its lock file names it; empty when unknown
     */
    public VfioClaimException(String message, OptionalLong holderPid) {
        super(message, null);
        this.holderPid = holderPid.orElse(-1);
    }

    /**
     * Returns the pid of the process holding the claim.
     *
     * @return the pid as its lock file names it; empty when the holder had not written it yet
     */
    public OptionalLong holderPid() {
        return holderPid < 0 ? OptionalLong.empty() : OptionalLong.of(holderPid);
    }
}
