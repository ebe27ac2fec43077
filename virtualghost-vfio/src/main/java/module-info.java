/**
 * Binds PCI devices (a GPU and its IOMMU group) to {@code vfio-pci} through sysfs and gives them back,
 * and checks that the host can do VFIO.
 *
 * <p>Only {@code dev.virtualghost.vfio} is API; {@code dev.virtualghost.vfio.internal} is sealed.
 */
module dev.virtualghost.vfio {
    requires transitive dev.virtualghost.api;
    requires com.sun.jna;
    requires org.slf4j;

    exports dev.virtualghost.vfio;

    // JNA implements the native interfaces by reflection (proxies over LibC and its structures).
    opens dev.virtualghost.vfio.internal to
            com.sun.jna;

    provides dev.virtualghost.api.HostCheckProvider with
            dev.virtualghost.vfio.VfioHostChecks;
}
