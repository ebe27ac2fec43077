package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import java.nio.file.Path;

/**
 * A virtio-net device backed by a host TAP interface (or a vhost-user-net backend).
 *
 * <p>Mirrors the {@code NetConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 * Build one with {@link #builder()}; change a copy with {@link #newBuilder()}.
 *
 * @param tap name of an existing TAP interface CH attaches to; when absent CH creates one and configures {@code ip}/{@code mask} on its host side
 * @param ip IPv4 or IPv6 address CH assigns to the host side of a TAP it creates; CH default {@code 192.168.249.1}
 * @param mask netmask for {@code ip}, IPv4 or IPv6 to match it; CH default {@code 255.255.255.0}
 * @param mac guest MAC address, {@code xx:xx:xx:xx:xx:xx}; CH picks a random one when absent
 * @param hostMac MAC address of the host side of the TAP
 * @param mtu MTU CH sets on the TAP and advertises to the guest, in bytes
 * @param iommu if true, the device sits behind the guest's virtual IOMMU (DMA remapped); CH default false
 * @param numQueues number of virtio queues (two per queue pair: receive and transmit); CH default 2
 * @param queueSize entries per virtio queue; CH default 256
 * @param vhostUser if true, a vhost-user-net backend at {@code vhostSocket} serves the queues instead of CH; CH default false
 * @param vhostSocket Unix socket of the vhost-user backend; used only with {@code vhostUser}
 * @param vhostMode with {@code vhostUser}: {@code Client} (CH connects to the backend's socket, the default) or {@code Server} (CH listens on it)
 * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one ({@code _net0}, ...) when absent
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 * @param rateLimiterConfig bandwidth (bytes) and packet token buckets CH applies to this device's traffic; absent means unlimited
 * @param offloadTso if true, CH offers TCP segmentation offload to the guest; CH default true
 * @param offloadUfo if true, CH offers UDP fragmentation offload to the guest; CH default true
 * @param offloadCsum if true, CH offers checksum offload to the guest; CH default true
 */
public record NetConfig(
        String tap,
        String ip,
        String mask,
        String mac,
        @Json(name = "host_mac") String hostMac,
        Integer mtu,
        Boolean iommu,
        @Json(name = "num_queues") Integer numQueues,
        @Json(name = "queue_size") Integer queueSize,
        @Json(name = "vhost_user") Boolean vhostUser,
        @Json(name = "vhost_socket") String vhostSocket,
        @Json(name = "vhost_mode") String vhostMode,
        String id,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        @Json(name = "rate_limiter_config") RateLimiterConfig rateLimiterConfig,
        @Json(name = "offload_tso") Boolean offloadTso,
        @Json(name = "offload_ufo") Boolean offloadUfo,
        @Json(name = "offload_csum") Boolean offloadCsum) {

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
        b.tap = tap;
        b.ip = ip;
        b.mask = mask;
        b.mac = mac;
        b.hostMac = hostMac;
        b.mtu = mtu;
        b.iommu = iommu;
        b.numQueues = numQueues;
        b.queueSize = queueSize;
        b.vhostUser = vhostUser;
        b.vhostSocket = vhostSocket;
        b.vhostMode = vhostMode;
        b.id = id;
        b.pciSegment = pciSegment;
        b.pciDeviceId = pciDeviceId;
        b.rateLimiterConfig = rateLimiterConfig;
        b.offloadTso = offloadTso;
        b.offloadUfo = offloadUfo;
        b.offloadCsum = offloadCsum;
        return b;
    }

    /** Mutable builder for {@link NetConfig}; not thread-safe. Unset components stay absent (CH's default). */
    public static final class Builder {
        private String tap;
        private String ip;
        private String mask;
        private String mac;
        private String hostMac;
        private Integer mtu;
        private Boolean iommu;
        private Integer numQueues;
        private Integer queueSize;
        private Boolean vhostUser;
        private String vhostSocket;
        private String vhostMode;
        private String id;
        private Integer pciSegment;
        private Integer pciDeviceId;
        private RateLimiterConfig rateLimiterConfig;
        private Boolean offloadTso;
        private Boolean offloadUfo;
        private Boolean offloadCsum;

        private Builder() {}

        /**
         * Sets {@code tap}.
         *
         * @param tap name of an existing TAP interface CH attaches to; when absent CH creates one and configures {@code ip}/{@code mask} on its host side
         * @return this builder
         */
        public Builder tap(String tap) {
            this.tap = tap;
            return this;
        }

        /**
         * Sets {@code ip}.
         *
         * @param ip IPv4 or IPv6 address CH assigns to the host side of a TAP it creates; CH default {@code 192.168.249.1}
         * @return this builder
         */
        public Builder ip(String ip) {
            this.ip = ip;
            return this;
        }

        /**
         * Sets {@code mask}.
         *
         * @param mask netmask for {@code ip}, IPv4 or IPv6 to match it; CH default {@code 255.255.255.0}
         * @return this builder
         */
        public Builder mask(String mask) {
            this.mask = mask;
            return this;
        }

        /**
         * Sets {@code mac}.
         *
         * @param mac guest MAC address, {@code xx:xx:xx:xx:xx:xx}; CH picks a random one when absent
         * @return this builder
         */
        public Builder mac(String mac) {
            this.mac = mac;
            return this;
        }

        /**
         * Sets {@code hostMac}.
         *
         * @param hostMac MAC address of the host side of the TAP
         * @return this builder
         */
        public Builder hostMac(String hostMac) {
            this.hostMac = hostMac;
            return this;
        }

        /**
         * Sets {@code mtu}.
         *
         * @param mtu MTU CH sets on the TAP and advertises to the guest, in bytes
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder mtu(int mtu) {
            if (mtu <= 0) {
                throw new IllegalArgumentException("mtu must be positive: " + mtu);
            }
            this.mtu = mtu;
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
         * @param numQueues number of virtio queues (two per queue pair: receive and transmit); CH default 2
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
         * @param queueSize entries per virtio queue; CH default 256
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
         * @param vhostUser if true, a vhost-user-net backend at {@code vhostSocket} serves the queues instead of CH; CH default false
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
         * Sets {@code vhostMode}.
         *
         * @param vhostMode with {@code vhostUser}: {@code Client} (CH connects to the backend's socket, the default) or {@code Server} (CH listens on it)
         * @return this builder
         */
        public Builder vhostMode(String vhostMode) {
            this.vhostMode = vhostMode;
            return this;
        }

        /**
         * Sets {@code id}.
         *
         * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one ({@code _net0}, ...) when absent
         * @return this builder
         */
        public Builder id(String id) {
            this.id = id;
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
         * Sets {@code rateLimiterConfig}.
         *
         * @param rateLimiterConfig bandwidth (bytes) and packet token buckets CH applies to this device's traffic; absent means unlimited
         * @return this builder
         */
        public Builder rateLimiterConfig(RateLimiterConfig rateLimiterConfig) {
            this.rateLimiterConfig = rateLimiterConfig;
            return this;
        }

        /**
         * Sets {@code offloadTso}.
         *
         * @param offloadTso if true, CH offers TCP segmentation offload to the guest; CH default true
         * @return this builder
         */
        public Builder offloadTso(boolean offloadTso) {
            this.offloadTso = offloadTso;
            return this;
        }

        /**
         * Sets {@code offloadUfo}.
         *
         * @param offloadUfo if true, CH offers UDP fragmentation offload to the guest; CH default true
         * @return this builder
         */
        public Builder offloadUfo(boolean offloadUfo) {
            this.offloadUfo = offloadUfo;
            return this;
        }

        /**
         * Sets {@code offloadCsum}.
         *
         * @param offloadCsum if true, CH offers checksum offload to the guest; CH default true
         * @return this builder
         */
        public Builder offloadCsum(boolean offloadCsum) {
            this.offloadCsum = offloadCsum;
            return this;
        }

        /**
         * Builds the record.
         *
         * @return the config
         */
        public NetConfig build() {
            return new NetConfig(
                    tap,
                    ip,
                    mask,
                    mac,
                    hostMac,
                    mtu,
                    iommu,
                    numQueues,
                    queueSize,
                    vhostUser,
                    vhostSocket,
                    vhostMode,
                    id,
                    pciSegment,
                    pciDeviceId,
                    rateLimiterConfig,
                    offloadTso,
                    offloadUfo,
                    offloadCsum);
        }
    }
}
