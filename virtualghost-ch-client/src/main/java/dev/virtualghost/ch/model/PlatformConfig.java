package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.List;

/**
 * Platform-wide settings: PCI segments, IOMMU, SMBIOS identity strings, confidential-computing modes.
 *
 * <p>Mirrors the {@code PlatformConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param numPciSegments number of PCI segments (domains) the guest gets; CH default 1
 * @param iommuSegments PCI segments whose devices all sit behind the virtual IOMMU
 * @param iommuAddressWidthBits address width of the virtual IOMMU, in bits
 * @param systemSerialNumber SMBIOS system serial number the guest reads (e.g. {@code dmidecode -s system-serial-number})
 * @param serialNumber SMBIOS serial number (the older name of {@code systemSerialNumber})
 * @param systemUuid SMBIOS system UUID the guest reads
 * @param uuid SMBIOS UUID (the older name of {@code systemUuid})
 * @param oemStrings SMBIOS OEM strings (type 11) the guest reads
 * @param systemManufacturer SMBIOS system manufacturer
 * @param systemProductName SMBIOS system product name
 * @param systemVersion SMBIOS system version
 * @param systemFamily SMBIOS system family
 * @param systemSkuNumber SMBIOS system SKU number
 * @param chassisAssetTag SMBIOS chassis asset tag
 * @param tdx if true, the guest is an Intel TDX confidential VM (needs a TDX host and firmware); CH default false
 * @param sevSnp if true, the guest is an AMD SEV-SNP confidential VM; CH default false
 * @param iommufd if true, CH opens VFIO devices through the kernel's iommufd interface instead of VFIO containers; CH default false
 * @param vfioP2pDma if true, CH maps VFIO devices' BARs for peer-to-peer DMA between passed-through devices; CH default true
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

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param numPciSegments number of PCI segments (domains) the guest gets; CH default 1
     * @param iommuSegments PCI segments whose devices all sit behind the virtual IOMMU
     * @param iommuAddressWidthBits address width of the virtual IOMMU, in bits
     * @param systemSerialNumber SMBIOS system serial number the guest reads (e.g. {@code dmidecode -s system-serial-number})
     * @param serialNumber SMBIOS serial number (the older name of {@code systemSerialNumber})
     * @param systemUuid SMBIOS system UUID the guest reads
     * @param uuid SMBIOS UUID (the older name of {@code systemUuid})
     * @param oemStrings SMBIOS OEM strings (type 11) the guest reads
     * @param systemManufacturer SMBIOS system manufacturer
     * @param systemProductName SMBIOS system product name
     * @param systemVersion SMBIOS system version
     * @param systemFamily SMBIOS system family
     * @param systemSkuNumber SMBIOS system SKU number
     * @param chassisAssetTag SMBIOS chassis asset tag
     * @param tdx if true, the guest is an Intel TDX confidential VM (needs a TDX host and firmware); CH default false
     * @param sevSnp if true, the guest is an AMD SEV-SNP confidential VM; CH default false
     * @param iommufd if true, CH opens VFIO devices through the kernel's iommufd interface instead of VFIO containers; CH default false
     * @param vfioP2pDma if true, CH maps VFIO devices' BARs for peer-to-peer DMA between passed-through devices; CH default true
     */
    public PlatformConfig {
        iommuSegments = Copies.list(iommuSegments);
        oemStrings = Copies.list(oemStrings);
    }
}
