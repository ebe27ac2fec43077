package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import java.nio.file.Path;

/**
 * A virtio-pmem device: a host file mapped into guest memory as persistent memory (a DAX-capable {@code /dev/pmemN}).
 *
 * <p>Mirrors the {@code PmemConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 * Build one with {@link #builder()}; change a copy with {@link #newBuilder()}.
 *
 * @param file host file (or directory, for an anonymous temporary file) CH maps into the guest; required
 * @param size size of the mapping in bytes; when absent CH uses the file's size (a new file in a directory needs it)
 * @param iommu if true, the device sits behind the guest's virtual IOMMU (DMA remapped); CH default false
 * @param discardWrites if true, CH maps the file privately: guest writes never reach the file; CH default false
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one when absent
 */
public record PmemConfig(
        String file,
        Long size,
        Boolean iommu,
        @Json(name = "discard_writes") Boolean discardWrites,
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
        b.file = file;
        b.size = size;
        b.iommu = iommu;
        b.discardWrites = discardWrites;
        b.pciSegment = pciSegment;
        b.pciDeviceId = pciDeviceId;
        b.id = id;
        return b;
    }

    /** Mutable builder for {@link PmemConfig}; not thread-safe. Unset components stay absent (CH's default). */
    public static final class Builder {
        private String file;
        private Long size;
        private Boolean iommu;
        private Boolean discardWrites;
        private Integer pciSegment;
        private Integer pciDeviceId;
        private String id;

        private Builder() {}

        /**
         * Sets {@code file}.
         *
         * @param file host file (or directory, for an anonymous temporary file) CH maps into the guest; required
         * @return this builder
         */
        public Builder file(String file) {
            this.file = file;
            return this;
        }

        /**
         * Sets {@code file} from a path, made absolute.
         *
         * @param file host file (or directory, for an anonymous temporary file) CH maps into the guest; required
         * @return this builder
         */
        public Builder file(Path file) {
            this.file = file.toAbsolutePath().toString();
            return this;
        }

        /**
         * Sets {@code size}.
         *
         * @param size size of the mapping in bytes; when absent CH uses the file's size (a new file in a directory needs it)
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder size(long size) {
            if (size <= 0) {
                throw new IllegalArgumentException("size must be positive: " + size);
            }
            this.size = size;
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
         * Sets {@code discardWrites}.
         *
         * @param discardWrites if true, CH maps the file privately: guest writes never reach the file; CH default false
         * @return this builder
         */
        public Builder discardWrites(boolean discardWrites) {
            this.discardWrites = discardWrites;
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
         * @throws IllegalStateException if {@code file} is not set
         */
        public PmemConfig build() {
            if (file == null) {
                throw new IllegalStateException("PmemConfig needs file");
            }
            return new PmemConfig(file, size, iommu, discardWrites, pciSegment, pciDeviceId, id);
        }
    }
}
