package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A virtio-block disk: CH serves the image file itself (or hands the queues to a vhost-user-blk backend), and the guest sees it as {@code /dev/vdX}.
 *
 * <p>Mirrors the {@code DiskConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 * Build one with {@link #builder()}; change a copy with {@link #newBuilder()}.
 *
 * @param path host path of the disk image; CH opens it (read-write unless {@code readonly}) and detects raw, qcow2, VHD or VHDX unless {@code imageType} says which; required unless {@code vhostUser}
 * @param readonly if true, CH opens the image read-only and the guest sees a read-only disk; CH default false
 * @param direct if true, CH opens the image with {@code O_DIRECT}, bypassing the host page cache; CH default false
 * @param iommu if true, the device sits behind the guest's virtual IOMMU (DMA remapped); CH default false
 * @param numQueues number of virtio request queues (CH runs one I/O worker per queue; a multi-queue guest driver spreads requests across them); CH default 1
 * @param queueSize entries per virtio queue; CH default 128
 * @param vhostUser if true, CH does not open {@code path} but connects to a vhost-user-blk backend at {@code vhostSocket} that serves the queues; CH default false
 * @param vhostSocket Unix socket of the vhost-user backend; used only with {@code vhostUser}
 * @param rateLimiterConfig bandwidth (bytes) and operation token buckets CH applies to this disk's I/O; absent means unlimited
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one ({@code _disk0}, ...) when absent
 * @param serial serial number the guest reads for this disk (virtio-blk {@code GET_ID}, e.g. {@code /sys/block/vda/serial})
 * @param rateLimitGroup id of a shared limiter from {@link VmConfig#rateLimitGroups()}, whose budget this disk shares with the group's other disks
 * @param queueAffinity host CPUs each queue's I/O worker thread is pinned to
 * @param backingFiles if true, CH opens the backing files a qcow2 image names; if false it refuses such images (a guest-writable image must not make CH open arbitrary host files); CH default false
 * @param sparse if true, CH keeps the image sparse: guest discards and write-zeroes punch holes in the file; CH default true
 * @param imageType image format, one of {@link ImageType}; when absent CH detects it from the file's header
 * @param lockGranularity how CH locks the image file against a second VMM opening it: {@link LockGranularity#BYTE_RANGE} or {@link LockGranularity#FULL}
 */
public record DiskConfig(
        String path,
        Boolean readonly,
        Boolean direct,
        Boolean iommu,
        @Json(name = "num_queues") Integer numQueues,
        @Json(name = "queue_size") Integer queueSize,
        @Json(name = "vhost_user") Boolean vhostUser,
        @Json(name = "vhost_socket") String vhostSocket,
        @Json(name = "rate_limiter_config") RateLimiterConfig rateLimiterConfig,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id,
        String serial,
        @Json(name = "rate_limit_group") String rateLimitGroup,
        @Json(name = "queue_affinity") List<VirtQueueAffinity> queueAffinity,
        @Json(name = "backing_files") Boolean backingFiles,
        Boolean sparse,
        @Json(name = "image_type") String imageType,
        @Json(name = "lock_granularity") String lockGranularity) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param path host path of the disk image; CH opens it (read-write unless {@code readonly}) and detects raw, qcow2, VHD or VHDX unless {@code imageType} says which; required unless {@code vhostUser}
     * @param readonly if true, CH opens the image read-only and the guest sees a read-only disk; CH default false
     * @param direct if true, CH opens the image with {@code O_DIRECT}, bypassing the host page cache; CH default false
     * @param iommu if true, the device sits behind the guest's virtual IOMMU (DMA remapped); CH default false
     * @param numQueues number of virtio request queues (CH runs one I/O worker per queue; a multi-queue guest driver spreads requests across them); CH default 1
     * @param queueSize entries per virtio queue; CH default 128
     * @param vhostUser if true, CH does not open {@code path} but connects to a vhost-user-blk backend at {@code vhostSocket} that serves the queues; CH default false
     * @param vhostSocket Unix socket of the vhost-user backend; used only with {@code vhostUser}
     * @param rateLimiterConfig bandwidth (bytes) and operation token buckets CH applies to this disk's I/O; absent means unlimited
     * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
     * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
     * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one ({@code _disk0}, ...) when absent
     * @param serial serial number the guest reads for this disk (virtio-blk {@code GET_ID}, e.g. {@code /sys/block/vda/serial})
     * @param rateLimitGroup id of a shared limiter from {@link VmConfig#rateLimitGroups()}, whose budget this disk shares with the group's other disks
     * @param queueAffinity host CPUs each queue's I/O worker thread is pinned to
     * @param backingFiles if true, CH opens the backing files a qcow2 image names; if false it refuses such images (a guest-writable image must not make CH open arbitrary host files); CH default false
     * @param sparse if true, CH keeps the image sparse: guest discards and write-zeroes punch holes in the file; CH default true
     * @param imageType image format, one of {@link ImageType}; when absent CH detects it from the file's header
     * @param lockGranularity how CH locks the image file against a second VMM opening it: {@link LockGranularity#BYTE_RANGE} or {@link LockGranularity#FULL}
     */
    public DiskConfig {
        queueAffinity = Copies.list(queueAffinity);
    }

    /**
     * A disk backed by the image at {@code path}, everything else defaulted by CH.
     *
     * @param path host path of the image
     * @return the disk
     */
    public static DiskConfig ofPath(String path) {
        Objects.requireNonNull(path, "path == null");
        return new DiskConfig(
                path, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /**
     * A disk backed by the image at {@code path} (made absolute), everything else defaulted by CH.
     *
     * @param path host path of the image
     * @return the disk
     */
    public static DiskConfig ofPath(Path path) {
        return ofPath(path.toAbsolutePath().toString());
    }

    /**
     * Returns an empty builder.
     *
     * @return a builder with every component absent
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding this config's values, to make a changed copy.
     *
     * @return a builder initialised from this record
     */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.path = path;
        b.readonly = readonly;
        b.direct = direct;
        b.iommu = iommu;
        b.numQueues = numQueues;
        b.queueSize = queueSize;
        b.vhostUser = vhostUser;
        b.vhostSocket = vhostSocket;
        b.rateLimiterConfig = rateLimiterConfig;
        b.pciSegment = pciSegment;
        b.pciDeviceId = pciDeviceId;
        b.id = id;
        b.serial = serial;
        b.rateLimitGroup = rateLimitGroup;
        b.queueAffinity = queueAffinity;
        b.backingFiles = backingFiles;
        b.sparse = sparse;
        b.imageType = imageType;
        b.lockGranularity = lockGranularity;
        return b;
    }

    /** Mutable builder for {@link DiskConfig}; not thread-safe. Unset components stay absent (CH's default). */
    public static final class Builder {
        private String path;
        private Boolean readonly;
        private Boolean direct;
        private Boolean iommu;
        private Integer numQueues;
        private Integer queueSize;
        private Boolean vhostUser;
        private String vhostSocket;
        private RateLimiterConfig rateLimiterConfig;
        private Integer pciSegment;
        private Integer pciDeviceId;
        private String id;
        private String serial;
        private String rateLimitGroup;
        private List<VirtQueueAffinity> queueAffinity;
        private Boolean backingFiles;
        private Boolean sparse;
        private String imageType;
        private String lockGranularity;

        private Builder() {}

        /**
         * Sets {@code path}.
         *
         * @param path host path of the disk image; CH opens it (read-write unless {@code readonly}) and detects raw, qcow2, VHD or VHDX unless {@code imageType} says which; required unless {@code vhostUser}
         * @return this builder
         */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /**
         * Sets {@code path} from a path, made absolute.
         *
         * @param path host path of the disk image; CH opens it (read-write unless {@code readonly}) and detects raw, qcow2, VHD or VHDX unless {@code imageType} says which; required unless {@code vhostUser}
         * @return this builder
         */
        public Builder path(Path path) {
            this.path = path.toAbsolutePath().toString();
            return this;
        }

        /**
         * Sets {@code readonly}.
         *
         * @param readonly if true, CH opens the image read-only and the guest sees a read-only disk; CH default false
         * @return this builder
         */
        public Builder readonly(boolean readonly) {
            this.readonly = readonly;
            return this;
        }

        /**
         * Sets {@code direct}.
         *
         * @param direct if true, CH opens the image with {@code O_DIRECT}, bypassing the host page cache; CH default false
         * @return this builder
         */
        public Builder direct(boolean direct) {
            this.direct = direct;
            return this;
        }

        /**
         * Sets {@code iommu}.
         *
         * @param iommu if true, the device sits behind the guest's virtual IOMMU (DMA remapped); CH default false
         * @return this builder
         */
        public Builder iommu(boolean iommu) {
            this.iommu = iommu;
            return this;
        }

        /**
         * Sets {@code numQueues}.
         *
         * @param numQueues number of virtio request queues (CH runs one I/O worker per queue; a multi-queue guest driver spreads requests across them); CH default 1
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder numQueues(int numQueues) {
            if (numQueues <= 0) {
                throw new IllegalArgumentException("numQueues must be positive: " + numQueues);
            }
            this.numQueues = numQueues;
            return this;
        }

        /**
         * Sets {@code queueSize}.
         *
         * @param queueSize entries per virtio queue; CH default 128
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder queueSize(int queueSize) {
            if (queueSize <= 0) {
                throw new IllegalArgumentException("queueSize must be positive: " + queueSize);
            }
            this.queueSize = queueSize;
            return this;
        }

        /**
         * Sets {@code vhostUser}.
         *
         * @param vhostUser if true, CH does not open {@code path} but connects to a vhost-user-blk backend at {@code vhostSocket} that serves the queues; CH default false
         * @return this builder
         */
        public Builder vhostUser(boolean vhostUser) {
            this.vhostUser = vhostUser;
            return this;
        }

        /**
         * Sets {@code vhostSocket}.
         *
         * @param vhostSocket Unix socket of the vhost-user backend; used only with {@code vhostUser}
         * @return this builder
         */
        public Builder vhostSocket(String vhostSocket) {
            this.vhostSocket = vhostSocket;
            return this;
        }

        /**
         * Sets {@code vhostSocket} from a path, made absolute.
         *
         * @param vhostSocket Unix socket of the vhost-user backend; used only with {@code vhostUser}
         * @return this builder
         */
        public Builder vhostSocket(Path vhostSocket) {
            this.vhostSocket = vhostSocket.toAbsolutePath().toString();
            return this;
        }

        /**
         * Sets {@code rateLimiterConfig}.
         *
         * @param rateLimiterConfig bandwidth (bytes) and operation token buckets CH applies to this disk's I/O; absent means unlimited
         * @return this builder
         */
        public Builder rateLimiterConfig(RateLimiterConfig rateLimiterConfig) {
            this.rateLimiterConfig = rateLimiterConfig;
            return this;
        }

        /**
         * Sets {@code pciSegment}.
         *
         * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
         * @return this builder
         */
        public Builder pciSegment(int pciSegment) {
            this.pciSegment = pciSegment;
            return this;
        }

        /**
         * Sets {@code pciDeviceId}.
         *
         * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
         * @return this builder
         */
        public Builder pciDeviceId(int pciDeviceId) {
            this.pciDeviceId = pciDeviceId;
            return this;
        }

        /**
         * Sets {@code id}.
         *
         * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one ({@code _disk0}, ...) when absent
         * @return this builder
         */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /**
         * Sets {@code serial}.
         *
         * @param serial serial number the guest reads for this disk (virtio-blk {@code GET_ID}, e.g. {@code /sys/block/vda/serial})
         * @return this builder
         */
        public Builder serial(String serial) {
            this.serial = serial;
            return this;
        }

        /**
         * Sets {@code rateLimitGroup}.
         *
         * @param rateLimitGroup id of a shared limiter from {@link VmConfig#rateLimitGroups()}, whose budget this disk shares with the group's other disks
         * @return this builder
         */
        public Builder rateLimitGroup(String rateLimitGroup) {
            this.rateLimitGroup = rateLimitGroup;
            return this;
        }

        /**
         * Sets {@code queueAffinity}.
         *
         * @param queueAffinity host CPUs each queue's I/O worker thread is pinned to
         * @return this builder
         */
        public Builder queueAffinity(List<VirtQueueAffinity> queueAffinity) {
            this.queueAffinity = queueAffinity;
            return this;
        }

        /**
         * Sets {@code backingFiles}.
         *
         * @param backingFiles if true, CH opens the backing files a qcow2 image names; if false it refuses such images (a guest-writable image must not make CH open arbitrary host files); CH default false
         * @return this builder
         */
        public Builder backingFiles(boolean backingFiles) {
            this.backingFiles = backingFiles;
            return this;
        }

        /**
         * Sets {@code sparse}.
         *
         * @param sparse if true, CH keeps the image sparse: guest discards and write-zeroes punch holes in the file; CH default true
         * @return this builder
         */
        public Builder sparse(boolean sparse) {
            this.sparse = sparse;
            return this;
        }

        /**
         * Sets {@code imageType}.
         *
         * @param imageType image format, one of {@link ImageType}; when absent CH detects it from the file's header
         * @return this builder
         */
        public Builder imageType(String imageType) {
            this.imageType = imageType;
            return this;
        }

        /**
         * Sets {@code lockGranularity}.
         *
         * @param lockGranularity how CH locks the image file against a second VMM opening it: {@link LockGranularity#BYTE_RANGE} or {@link LockGranularity#FULL}
         * @return this builder
         */
        public Builder lockGranularity(String lockGranularity) {
            this.lockGranularity = lockGranularity;
            return this;
        }

        /**
         * Builds the record.
         *
         * @return the config
         * @throws IllegalStateException if no {@code path} was set (nor {@code vhostUser} with a {@code vhostSocket})
         */
        public DiskConfig build() {
            if (path == null && !(Boolean.TRUE.equals(vhostUser) && vhostSocket != null)) {
                throw new IllegalStateException("DiskConfig needs a path (or vhostUser with a vhostSocket)");
            }
            return new DiskConfig(
                    path,
                    readonly,
                    direct,
                    iommu,
                    numQueues,
                    queueSize,
                    vhostUser,
                    vhostSocket,
                    rateLimiterConfig,
                    pciSegment,
                    pciDeviceId,
                    id,
                    serial,
                    rateLimitGroup,
                    queueAffinity,
                    backingFiles,
                    sparse,
                    imageType,
                    lockGranularity);
        }
    }
}
