package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.api.PciAddress;
import dev.virtualghost.ch.internal.Copies;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A host PCI device passed through to the guest with VFIO (e.g. a GPU). The device must be bound to {@code vfio-pci}, with every device of its IOMMU group.
 *
 * <p>Mirrors the {@code DeviceConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 * Build one with {@link #builder()}; change a copy with {@link #newBuilder()}.
 *
 * @param path sysfs directory of the device, {@code /sys/bus/pci/devices/DDDD:BB:DD.F/}; CH opens the device's VFIO group through it; required unless the device is handed to CH as an open VFIO file descriptor (see {@link #of(PciAddress)})
 * @param iommu if true, the device sits behind the guest's virtual IOMMU, so the guest's own drivers can be isolated; CH default false
 * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
 * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
 * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one ({@code _vfio0}, ...) when absent
 * @param xNvGpudirectClique NVIDIA GPUDirect P2P clique id CH advertises for this device, so that GPUs of one clique can DMA to each other (experimental)
 * @param xExcludeMmapBars indices of BARs CH must not map straight into the guest (their accesses are trapped instead; experimental)
 */
public record DeviceConfig(
        String path,
        Boolean iommu,
        @Json(name = "pci_segment") Integer pciSegment,
        @Json(name = "pci_device_id") Integer pciDeviceId,
        String id,
        @Json(name = "x_nv_gpudirect_clique") Integer xNvGpudirectClique,
        @Json(name = "x_exclude_mmap_bars") List<Long> xExcludeMmapBars) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param path sysfs directory of the device, {@code /sys/bus/pci/devices/DDDD:BB:DD.F/}; CH opens the device's VFIO group through it; required unless the device is handed to CH as an open VFIO file descriptor (see {@link #of(PciAddress)})
     * @param iommu if true, the device sits behind the guest's virtual IOMMU, so the guest's own drivers can be isolated; CH default false
     * @param pciSegment PCI segment (domain) CH places the device on; CH default 0
     * @param pciDeviceId PCI device (slot) number on that segment; when absent CH takes the first free slot
     * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one ({@code _vfio0}, ...) when absent
     * @param xNvGpudirectClique NVIDIA GPUDirect P2P clique id CH advertises for this device, so that GPUs of one clique can DMA to each other (experimental)
     * @param xExcludeMmapBars indices of BARs CH must not map straight into the guest (their accesses are trapped instead; experimental)
     */
    public DeviceConfig {
        xExcludeMmapBars = Copies.list(xExcludeMmapBars);
    }

    /**
     * A VFIO device by its sysfs path.
     *
     * @param path sysfs directory of the device, e.g. {@code /sys/bus/pci/devices/0000:01:00.0/}
     * @param id device id, or null to let CH name it
     * @return the device
     */
    public static DeviceConfig ofPath(String path, String id) {
        Objects.requireNonNull(path, "path == null");
        return new DeviceConfig(path, null, null, null, id, null, null);
    }

    /**
     * The VFIO device at a PCI address: {@code /sys/bus/pci/devices/<address>/}. The device (and its IOMMU group)
     * must be bound to {@code vfio-pci} before CH opens it.
     *
     * @param address the device's PCI address (already validated by {@link PciAddress})
     * @return the device, with no id (CH names it)
     */
    public static DeviceConfig of(PciAddress address) {
        return of(address, null);
    }

    /**
     * The VFIO device at a PCI address, with a device id.
     *
     * @param address the device's PCI address
     * @param id device id, as named in {@code vm.info} and events, or null to let CH name it
     * @return the device
     */
    public static DeviceConfig of(PciAddress address, String id) {
        Objects.requireNonNull(address, "address == null");
        return ofPath(sysfsPath(address), id);
    }

    /**
     * The sysfs directory CH expects for a PCI device.
     *
     * @param address the device's PCI address
     * @return {@code /sys/bus/pci/devices/DDDD:BB:DD.F/}
     */
    public static String sysfsPath(PciAddress address) {
        return "/sys/bus/pci/devices/" + address + "/";
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
        b.iommu = iommu;
        b.pciSegment = pciSegment;
        b.pciDeviceId = pciDeviceId;
        b.id = id;
        b.xNvGpudirectClique = xNvGpudirectClique;
        b.xExcludeMmapBars = xExcludeMmapBars;
        return b;
    }

    /** Mutable builder for {@link DeviceConfig}; not thread-safe. Unset components stay absent (CH's default). */
    public static final class Builder {
        private String path;
        private Boolean iommu;
        private Integer pciSegment;
        private Integer pciDeviceId;
        private String id;
        private Integer xNvGpudirectClique;
        private List<Long> xExcludeMmapBars;

        private Builder() {}

        /**
         * Sets {@code path}.
         *
         * @param path sysfs directory of the device, {@code /sys/bus/pci/devices/DDDD:BB:DD.F/}; CH opens the device's VFIO group through it; required unless the device is handed to CH as an open VFIO file descriptor (see {@link #of(PciAddress)})
         * @return this builder
         */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /**
         * Sets {@code path} from a path, made absolute.
         *
         * @param path sysfs directory of the device, {@code /sys/bus/pci/devices/DDDD:BB:DD.F/}; CH opens the device's VFIO group through it; required unless the device is handed to CH as an open VFIO file descriptor (see {@link #of(PciAddress)})
         * @return this builder
         */
        public Builder path(Path path) {
            this.path = path.toAbsolutePath().toString();
            return this;
        }

        /**
         * Sets {@code iommu}.
         *
         * @param iommu if true, the device sits behind the guest's virtual IOMMU, so the guest's own drivers can be isolated; CH default false
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
         * @param id device id, as named in {@code vm.info}, events and {@code vm.remove-device}; CH makes one ({@code _vfio0}, ...) when absent
         * @return this builder
         */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /**
         * Sets {@code xNvGpudirectClique}.
         *
         * @param xNvGpudirectClique NVIDIA GPUDirect P2P clique id CH advertises for this device, so that GPUs of one clique can DMA to each other (experimental)
         * @return this builder
         */
        public Builder xNvGpudirectClique(int xNvGpudirectClique) {
            this.xNvGpudirectClique = xNvGpudirectClique;
            return this;
        }

        /**
         * Sets {@code xExcludeMmapBars}.
         *
         * @param xExcludeMmapBars indices of BARs CH must not map straight into the guest (their accesses are trapped instead; experimental)
         * @return this builder
         */
        public Builder xExcludeMmapBars(List<Long> xExcludeMmapBars) {
            this.xExcludeMmapBars = xExcludeMmapBars;
            return this;
        }

        /**
         * Builds the record.
         *
         * @return the config
         * @throws IllegalStateException if {@code path} is not set
         */
        public DeviceConfig build() {
            if (path == null) {
                throw new IllegalStateException("DeviceConfig needs path");
            }
            return new DeviceConfig(path, iommu, pciSegment, pciDeviceId, id, xNvGpudirectClique, xExcludeMmapBars);
        }
    }
}
