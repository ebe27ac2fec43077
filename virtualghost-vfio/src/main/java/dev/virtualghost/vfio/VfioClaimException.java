package dev.virtualghost.vfio;

import java.util.OptionalLong;

/**
 * A device or its IOMMU group is claimed by another live binding (another run, or another binder in this process),
 * so it was left alone: nothing was written to sysfs and no journal was replayed. The claim is an {@code flock} the
 * kernel drops when its holder dies, so once that holder is gone the device can be bound or recovered.
 */
public final class VfioClaimException extends VfioException {
    private static final long serialVersionUID = 1L;

    private final long holderPid;

    public VfioClaimException(String message, OptionalLong holderPid) {
        super(message, null);
        this.holderPid = holderPid.orElse(-1);
    }

    /** The pid of the holder, as its lock file names it; empty when it had not written it yet. */
    public OptionalLong holderPid() {
        return holderPid < 0 ? OptionalLong.empty() : OptionalLong.of(holderPid);
    }
}
