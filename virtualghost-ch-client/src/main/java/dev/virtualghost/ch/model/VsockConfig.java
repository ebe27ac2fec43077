package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A virtio-vsock device in CH's hybrid mode: guest vsock connections come out on a host Unix socket.
 *
 * <p>Mirrors the {@code VsockConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 * Build one with {@link #builder()}; change a copy with {@link #newBuilder()}.
 *
 * @param cid the guest's context id (3 or more); guest programs see it as their local CID; required
 * @param socket host Unix socket path CH listens on: a host program connects and writes {@code CONNECT <port>\n} to reach a guest port, and guest connections to host port P arrive at {@code <socket>_P}; required
 * @param iommu if true, the device sits behind the guest's virtual IOMMU (DMA remapped); CH default false
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one when absent
 */
public record VsockConfig(
        Long cid,
        String socket,
        Boolean iommu,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id) {

    /**
     * A hybrid vsock device.
     *
     * @param cid the guest's context id, 3 or more
     * @param socket host Unix socket path CH listens on
     * @return the device
     * @throws IllegalArgumentException if {@code cid} is below 3
     */
    public static VsockConfig of(long cid, String socket) {
        if (cid < 3) {
            throw new IllegalArgumentException("cid < 3: " + cid);
        }
        Objects.requireNonNull(socket, "socket == null");
        return new VsockConfig(cid, socket, null, null, null, null);
    }

    /**
     * A hybrid vsock device.
     *
     * @param cid the guest's context id, 3 or more
     * @param socket host Unix socket path CH listens on, made absolute
     * @return the device
     * @throws IllegalArgumentException if {@code cid} is below 3
     */
    public static VsockConfig of(long cid, Path socket) {
        return of(cid, socket.toAbsolutePath().toString());
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
        b.cid = cid;
        b.socket = socket;
        b.iommu = iommu;
        b.pciSegment = pciSegment;
        b.pciDeviceId = pciDeviceId;
        b.id = id;
        return b;
    }

    /** Mutable builder for {@link VsockConfig}; not thread-safe. Unset components stay absent (CH's default). */
    public static final class Builder {
        private Long cid;
        private String socket;
        private Boolean iommu;
        private Integer pciSegment;
        private Integer pciDeviceId;
        private String id;

        private Builder() {}

        /**
         * Sets {@code cid}.
         *
         * @param cid the guest's context id (3 or more); guest programs see it as their local CID; required
         * @return this builder
         */
        public Builder cid(long cid) {
            if (cid < 3) {
                throw new IllegalArgumentException("cid must be 3 or more (0-2 are reserved): " + cid);
            }
            this.cid = cid;
            return this;
        }

        /**
         * Sets {@code socket}.
         *
         * @param socket host Unix socket path CH listens on: a host program connects and writes {@code CONNECT <port>\n} to reach a guest port, and guest connections to host port P arrive at {@code <socket>_P}; required
         * @return this builder
         */
        public Builder socket(String socket) {
            this.socket = socket;
            return this;
        }

        /**
         * Sets {@code socket} from a path, made absolute.
         *
         * @param socket host Unix socket path CH listens on: a host program connects and writes {@code CONNECT <port>\n} to reach a guest port, and guest connections to host port P arrive at {@code <socket>_P}; required
         * @return this builder
         */
        public Builder socket(Path socket) {
            this.socket = socket.toAbsolutePath().toString();
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
         * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one when absent
         * @return this builder
         */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /**
         * Builds the record.
         *
         * @return the config
         * @throws IllegalStateException if {@code cid}, {@code socket} is not set
         */
        public VsockConfig build() {
            if (cid == null) {
                throw new IllegalStateException("VsockConfig needs cid");
            }
            if (socket == null) {
                throw new IllegalStateException("VsockConfig needs socket");
            }
            return new VsockConfig(cid, socket, iommu, pciSegment, pciDeviceId, id);
        }
    }
}
