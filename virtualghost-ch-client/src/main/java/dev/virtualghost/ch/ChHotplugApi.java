package dev.virtualghost.ch;

import dev.virtualghost.ch.model.DeviceConfig;
import dev.virtualghost.ch.model.DiskConfig;
import dev.virtualghost.ch.model.FsConfig;
import dev.virtualghost.ch.model.GenericVhostUserConfig;
import dev.virtualghost.ch.model.NetConfig;
import dev.virtualghost.ch.model.PciDeviceInfo;
import dev.virtualghost.ch.model.PmemConfig;
import dev.virtualghost.ch.model.VdpaConfig;
import dev.virtualghost.ch.model.VmAddUserDevice;
import dev.virtualghost.ch.model.VmRemoveDevice;
import dev.virtualghost.ch.model.VsockConfig;
import java.io.FileDescriptor;
import java.util.Objects;

/**
 * The hot-plug endpoints of {@link ChClient} ({@code vm.add-*} and {@code vm.remove-device}), kept apart so that
 * each file has one job; callers use them through {@link ChClient}. Thread-safe.
 */
abstract class ChHotplugApi {

    final ChCalls calls;

    ChHotplugApi(ChCalls calls) {
        this.calls = calls;
    }

    /**
     * Hot-plugs a VFIO device. ({@code PUT /api/v1/vm.add-device})
     *
     * @param device the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.add-device")
    public PciDeviceInfo addDevice(DeviceConfig device) {
        Objects.requireNonNull(device, "device == null");
        return add("vm.add-device", device, null);
    }

    /**
     * Hot-plugs a VFIO device. Also passes {@code fds} to CH as SCM_RIGHTS ancillary data on a dedicated connection (for
     * example tap or VFIO cdev descriptors opened by a more privileged process). The descriptors stay owned
     * (and must be closed) by the caller.
     *
     * @param device the request body
     * @param fds the descriptors to pass, at least one
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.add-device")
    public PciDeviceInfo addDevice(DeviceConfig device, FileDescriptor... fds) {
        Objects.requireNonNull(device, "device == null");
        return add("vm.add-device", device, fds);
    }

    /**
     * Hot-unplugs a device by id. ({@code PUT /api/v1/vm.remove-device})
     *
     * @param device the request body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.remove-device")
    public void removeDevice(VmRemoveDevice device) {
        Objects.requireNonNull(device, "device == null");
        calls.send("PUT", "vm.remove-device", ChCalls.json(device));
    }

    /**
     * Hot-plugs a disk. ({@code PUT /api/v1/vm.add-disk})
     *
     * @param disk the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.add-disk")
    public PciDeviceInfo addDisk(DiskConfig disk) {
        Objects.requireNonNull(disk, "disk == null");
        return add("vm.add-disk", disk, null);
    }

    /**
     * Hot-plugs a virtio-fs share. ({@code PUT /api/v1/vm.add-fs})
     *
     * @param fs the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.add-fs")
    public PciDeviceInfo addFs(FsConfig fs) {
        Objects.requireNonNull(fs, "fs == null");
        return add("vm.add-fs", fs, null);
    }

    /**
     * Hot-plugs a generic vhost-user device. ({@code PUT /api/v1/vm.add-generic-vhost-user})
     *
     * @param device the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.add-generic-vhost-user")
    public PciDeviceInfo addGenericVhostUser(GenericVhostUserConfig device) {
        Objects.requireNonNull(device, "device == null");
        return add("vm.add-generic-vhost-user", device, null);
    }

    /**
     * Hot-plugs a persistent-memory device. ({@code PUT /api/v1/vm.add-pmem})
     *
     * @param pmem the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.add-pmem")
    public PciDeviceInfo addPmem(PmemConfig pmem) {
        Objects.requireNonNull(pmem, "pmem == null");
        return add("vm.add-pmem", pmem, null);
    }

    /**
     * Hot-plugs a network device. ({@code PUT /api/v1/vm.add-net})
     *
     * @param net the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.add-net")
    public PciDeviceInfo addNet(NetConfig net) {
        Objects.requireNonNull(net, "net == null");
        return add("vm.add-net", net, null);
    }

    /**
     * Hot-plugs a network device. Also passes {@code fds} to CH as SCM_RIGHTS ancillary data on a dedicated connection (for
     * example tap or VFIO cdev descriptors opened by a more privileged process). The descriptors stay owned
     * (and must be closed) by the caller.
     *
     * @param net the request body
     * @param fds the descriptors to pass, at least one
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.add-net")
    public PciDeviceInfo addNet(NetConfig net, FileDescriptor... fds) {
        Objects.requireNonNull(net, "net == null");
        return add("vm.add-net", net, fds);
    }

    /**
     * Hot-plugs a (hybrid) vsock device. ({@code PUT /api/v1/vm.add-vsock})
     *
     * @param vsock the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.add-vsock")
    public PciDeviceInfo addVsock(VsockConfig vsock) {
        Objects.requireNonNull(vsock, "vsock == null");
        return add("vm.add-vsock", vsock, null);
    }

    /**
     * Hot-plugs a vDPA device. ({@code PUT /api/v1/vm.add-vdpa})
     *
     * @param vdpa the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.add-vdpa")
    public PciDeviceInfo addVdpa(VdpaConfig vdpa) {
        Objects.requireNonNull(vdpa, "vdpa == null");
        return add("vm.add-vdpa", vdpa, null);
    }

    /**
     * Hot-plugs a vfio-user device. ({@code PUT /api/v1/vm.add-user-device})
     *
     * @param device the request body
     * @return the new device's id and PCI address, or null when CH answered 204 without a body
     * @throws ChException when the call fails (see the class Javadoc)
     */
    @ChEndpoint("vm.add-user-device")
    public PciDeviceInfo addUserDevice(VmAddUserDevice device) {
        Objects.requireNonNull(device, "device == null");
        return add("vm.add-user-device", device, null);
    }

    /**
     * The one body of every add-* call, with descriptors unless {@code fds} is null: CH answers 200 with a
     * PciDeviceInfo once the VM is booted and 204 before (the device only joins the config).
     */
    private PciDeviceInfo add(String endpoint, Object device, FileDescriptor[] fds) {
        byte[] body = ChCalls.json(device);
        byte[] answer = fds == null ? calls.send("PUT", endpoint, body) : calls.sendWithFds(endpoint, body, fds);
        return ChCalls.parseOptional("PUT", endpoint, answer, PciDeviceInfo.class);
    }
}
