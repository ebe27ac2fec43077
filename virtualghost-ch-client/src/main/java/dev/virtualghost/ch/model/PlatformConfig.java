package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;

/**
 * The {@code PlatformConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code PlatformConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param numPciSegments the {@code num_pci_segments} field; null when absent
 * @param iommuSegments the {@code iommu_segments} field; null when absent
 * @param iommuAddressWidthBits the {@code iommu_address_width_bits} field; null when absent
 * @param systemSerialNumber the {@code system_serial_number} field; null when absent
 * @param serialNumber the {@code serial_number} field; null when absent
 * @param systemUuid the {@code system_uuid} field; null when absent
 * @param uuid the {@code uuid} field; null when absent
 * @param oemStrings the {@code oem_strings} field; null when absent
 * @param systemManufacturer the {@code system_manufacturer} field; null when absent
 * @param systemProductName the {@code system_product_name} field; null when absent
 * @param systemVersion the {@code system_version} field; null when absent
 * @param systemFamily the {@code system_family} field; null when absent
 * @param systemSkuNumber the {@code system_sku_number} field; null when absent
 * @param chassisAssetTag the {@code chassis_asset_tag} field; null when absent
 * @param tdx the {@code tdx} field; null when absent
 * @param sevSnp the {@code sev_snp} field; null when absent
 * @param iommufd the {@code iommufd} field; null when absent
 * @param vfioP2pDma the {@code vfio_p2p_dma} field; null when absent
 */
public record PlatformConfig(
        @Json(name = "num_pci_segments") Integer numPciSegments,
        @Json(name = "iommu_segments") List<Integer> iommuSegments,
        @Json(name = "iommu_address_width_bits") Integer iommuAddressWidthBits,
        @Json(name = "system_serial_number") String systemSerialNumber,
        @Json(name = "serial_number") String serialNumber,
        @Json(name = "system_uuid") String systemUuid,
        String uuid,
        @Json(name = "oem_strings") List<String> oemStrings,
        @Json(name = "system_manufacturer") String systemManufacturer,
        @Json(name = "system_product_name") String systemProductName,
        @Json(name = "system_version") String systemVersion,
        @Json(name = "system_family") String systemFamily,
        @Json(name = "system_sku_number") String systemSkuNumber,
        @Json(name = "chassis_asset_tag") String chassisAssetTag,
        Boolean tdx,
        @Json(name = "sev_snp") Boolean sevSnp,
        Boolean iommufd,
        @Json(name = "vfio_p2p_dma") Boolean vfioP2pDma) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public PlatformConfig {
        iommuSegments = Copies.list(iommuSegments);
        oemStrings = Copies.list(oemStrings);
    }
}
