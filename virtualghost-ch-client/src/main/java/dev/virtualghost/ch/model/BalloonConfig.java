package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * A virtio-balloon device, through which the host reclaims guest RAM. Sizes are in bytes.
 *
 * <p>Mirrors the {@code BalloonConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 * Build one with {@link #builder()}; change a copy with {@link #newBuilder()}.
 *
 * @param id device id; CH makes one when absent
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 * @param iommu if true, the device sits behind the guest's virtual IOMMU (DMA remapped); CH default false
 * @param size balloon size in bytes: RAM the guest hands back to the host; required
 * @param deflateOnOom if true, the guest may deflate the balloon when it runs out of memory; CH default false
 * @param freePageReporting if true, the guest reports freed pages, which CH returns to the host; CH default false
 */
public record BalloonConfig(
        String id,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        Boolean iommu,
        Long size,
        @Json(name = "deflate_on_oom") Boolean deflateOnOom,
        @Json(name = "free_page_reporting") Boolean freePageReporting) {

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
        b.id = id;
        b.pciSegment = pciSegment;
        b.pciDeviceId = pciDeviceId;
        b.iommu = iommu;
        b.size = size;
        b.deflateOnOom = deflateOnOom;
        b.freePageReporting = freePageReporting;
        return b;
    }

    /** Mutable builder for {@link BalloonConfig}; not thread-safe. Unset components stay absent (CH's default). */
    public static final class Builder {
        private String id;
        private Integer pciSegment;
        private Integer pciDeviceId;
        private Boolean iommu;
        private Long size;
        private Boolean deflateOnOom;
        private Boolean freePageReporting;

        private Builder() {}

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
         * Sets {@code size}.
         *
         * @param size balloon size in bytes: RAM the guest hands back to the host; required
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
         * Sets {@code deflateOnOom}.
         *
         * @param deflateOnOom if true, the guest may deflate the balloon when it runs out of memory; CH default false
         * @return this builder
         */
        public Builder deflateOnOom(boolean deflateOnOom) {
            this.deflateOnOom = deflateOnOom;
            return this;
        }

        /**
         * Sets {@code freePageReporting}.
         *
         * @param freePageReporting if true, the guest reports freed pages, which CH returns to the host; CH default false
         * @return this builder
         */
        public Builder freePageReporting(boolean freePageReporting) {
            this.freePageReporting = freePageReporting;
            return this;
        }

        /**
         * Builds the record.
         *
         * @return the config
         * @throws IllegalStateException if {@code size} is not set
         */
        public BalloonConfig build() {
            if (size == null) {
                throw new IllegalStateException("BalloonConfig needs size");
            }
            return new BalloonConfig(id, pciSegment, pciDeviceId, iommu, size, deflateOnOom, freePageReporting);
        }
    }
}
