package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import java.nio.file.Path;

/**
 * Where CH connects the guest's virtio-console ({@code /dev/hvc0}).
 *
 * <p>Mirrors the {@code ConsoleConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 * Build one with {@link #builder()}; change a copy with {@link #newBuilder()}.
 *
 * @param file host file CH writes console output to; with mode {@code File}
 * @param socket host Unix socket CH listens on for the console; with mode {@code Socket}
 * @param mode one of {@link ConsoleMode}: {@code Off}, {@code Pty}, {@code Tty} (CH's own terminal), {@code File}, {@code Socket} or {@code Null}
 * @param iommu if true, the device sits behind the guest's virtual IOMMU (DMA remapped); CH default false
 * @param id device id; CH makes one when absent
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 */
public record ConsoleConfig(
        String file,
        String socket,
        String mode,
        Boolean iommu,
        String id,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId) {

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
        b.file = file;
        b.socket = socket;
        b.mode = mode;
        b.iommu = iommu;
        b.id = id;
        b.pciSegment = pciSegment;
        b.pciDeviceId = pciDeviceId;
        return b;
    }

    /** Mutable builder for {@link ConsoleConfig}; not thread-safe. Unset components stay absent (CH's default). */
    public static final class Builder {
        private String file;
        private String socket;
        private String mode;
        private Boolean iommu;
        private String id;
        private Integer pciSegment;
        private Integer pciDeviceId;

        private Builder() {}

        /**
         * Sets {@code file}.
         *
         * @param file host file CH writes console output to; with mode {@code File}
         * @return this builder
         */
        public Builder file(String file) {
            this.file = file;
            return this;
        }

        /**
         * Sets {@code file} from a path, made absolute.
         *
         * @param file host file CH writes console output to; with mode {@code File}
         * @return this builder
         */
        public Builder file(Path file) {
            this.file = file.toAbsolutePath().toString();
            return this;
        }

        /**
         * Sets {@code socket}.
         *
         * @param socket host Unix socket CH listens on for the console; with mode {@code Socket}
         * @return this builder
         */
        public Builder socket(String socket) {
            this.socket = socket;
            return this;
        }

        /**
         * Sets {@code socket} from a path, made absolute.
         *
         * @param socket host Unix socket CH listens on for the console; with mode {@code Socket}
         * @return this builder
         */
        public Builder socket(Path socket) {
            this.socket = socket.toAbsolutePath().toString();
            return this;
        }

        /**
         * Sets {@code mode}.
         *
         * @param mode one of {@link ConsoleMode}: {@code Off}, {@code Pty}, {@code Tty} (CH's own terminal), {@code File}, {@code Socket} or {@code Null}
         * @return this builder
         */
        public Builder mode(String mode) {
            this.mode = mode;
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
         * Sets {@code id}.
         *
         * @param id device id; CH makes one when absent
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
         * Builds the record.
         *
         * @return the config
         * @throws IllegalStateException if {@code mode} is not set
         */
        public ConsoleConfig build() {
            if (mode == null) {
                throw new IllegalStateException("ConsoleConfig needs mode");
            }
            return new ConsoleConfig(file, socket, mode, iommu, id, pciSegment, pciDeviceId);
        }
    }
}
