package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import java.nio.file.Path;

/**
 * A virtio-fs share: the guest mounts {@code tag}; a virtiofsd daemon on the host serves the files over {@code socket}.
 *
 * <p>Mirrors the {@code FsConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 * Build one with {@link #builder()}; change a copy with {@link #newBuilder()}.
 *
 * @param tag the name the guest mounts ({@code mount -t virtiofs <tag> /mnt}); required
 * @param socket Unix socket of the virtiofsd daemon serving the share, which must be running before the device is added; required
 * @param numQueues number of request queues; CH default 1
 * @param queueSize entries per queue; CH default 1024
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one when absent
 */
public record FsConfig(
        String tag,
        String socket,
        @Json(name = "num_queues") Integer numQueues,
        @Json(name = "queue_size") Integer queueSize,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id) {

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
        b.tag = tag;
        b.socket = socket;
        b.numQueues = numQueues;
        b.queueSize = queueSize;
        b.pciSegment = pciSegment;
        b.pciDeviceId = pciDeviceId;
        b.id = id;
        return b;
    }

    /** Mutable builder for {@link FsConfig}; not thread-safe. Unset components stay absent (CH's default). */
    public static final class Builder {
        private String tag;
        private String socket;
        private Integer numQueues;
        private Integer queueSize;
        private Integer pciSegment;
        private Integer pciDeviceId;
        private String id;

        private Builder() {}

        /**
         * Sets {@code tag}.
         *
         * @param tag the name the guest mounts ({@code mount -t virtiofs <tag> /mnt}); required
         * @return this builder
         */
        public Builder tag(String tag) {
            this.tag = tag;
            return this;
        }

        /**
         * Sets {@code socket}.
         *
         * @param socket Unix socket of the virtiofsd daemon serving the share, which must be running before the device is added; required
         * @return this builder
         */
        public Builder socket(String socket) {
            this.socket = socket;
            return this;
        }

        /**
         * Sets {@code socket} from a path, made absolute.
         *
         * @param socket Unix socket of the virtiofsd daemon serving the share, which must be running before the device is added; required
         * @return this builder
         */
        public Builder socket(Path socket) {
            this.socket = socket.toAbsolutePath().toString();
            return this;
        }

        /**
         * Sets {@code numQueues}.
         *
         * @param numQueues number of request queues; CH default 1
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
         * @param queueSize entries per queue; CH default 1024
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
         * @throws IllegalStateException if {@code tag}, {@code socket} is not set
         */
        public FsConfig build() {
            if (tag == null) {
                throw new IllegalStateException("FsConfig needs tag");
            }
            if (socket == null) {
                throw new IllegalStateException("FsConfig needs socket");
            }
            return new FsConfig(
                    tag,
                    socket,
                    numQueues == null ? 1 : numQueues,
                    queueSize == null ? 1024 : queueSize,
                    pciSegment,
                    pciDeviceId,
                    id);
        }
    }
}
