/**
 * GPU passthrough plumbing: discover PCI devices and GPUs through sysfs ({@link dev.virtualghost.vfio.PciBus}),
 * judge IOMMU groups ({@link dev.virtualghost.vfio.IommuGroup}), hand a group to vfio-pci and back
 * ({@link dev.virtualghost.vfio.VfioBinder}, {@link dev.virtualghost.vfio.VfioBinding}), and check the host
 * ({@link dev.virtualghost.vfio.VfioHostChecks}).
 */
package dev.virtualghost.vfio;
