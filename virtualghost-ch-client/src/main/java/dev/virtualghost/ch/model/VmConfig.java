package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The configuration {@code vm.create} takes: payload, CPUs, memory and devices. Build one with {@link #builder()}
 * (only {@code payload} is required); {@code add...} methods append single devices.
 *
 * <p>Mirrors the {@code VmConfig} schema of CH's REST API: a null component is left out of the JSON, so CH applies
 * its own default; unknown fields sent by a newer CH are ignored. Immutable (lists are unmodifiable copies).
 *
 * @param cpus vCPUs at boot and at most, topology and pinning; CH default 1 vCPU
 * @param memory guest RAM (sizes in bytes); CH default 512 MiB
 * @param payload what the guest boots: kernel (with command line and initramfs), firmware or IGVM (required)
 * @param rateLimitGroups limiters that several disks share by naming one in {@link DiskConfig#rateLimitGroup()}
 * @param disks virtio-block disks, in the order the guest enumerates them ({@code /dev/vda}, {@code /dev/vdb}, ...)
 * @param net virtio-net devices
 * @param rng the virtio-rng device; CH adds one reading {@code /dev/urandom} when absent
 * @param balloon a virtio-balloon device, to reclaim guest RAM
 * @param fs virtio-fs shares, each served by a host virtiofsd
 * @param genericVhostUser other virtio devices served by vhost-user backends
 * @param pmem virtio-pmem devices (host files mapped as persistent memory)
 * @param serial where the legacy serial port ({@code ttyS0}) goes; CH default: CH's own terminal
 * @param console where the virtio-console ({@code hvc0}) goes; CH default: CH's own terminal
 * @param debugConsole the x86 debug port console (port 0xe9)
 * @param devices host PCI devices passed through with VFIO (a GPU: see {@link DeviceConfig#of(dev.virtualghost.api.PciAddress)})
 * @param userDevices PCI devices emulated by vfio-user servers
 * @param vdpa vDPA devices
 * @param vsock the virtio-vsock device (CH's hybrid vsock: guest ports reached through a host Unix socket)
 * @param numa guest NUMA nodes: which vCPUs and memory zones each has, and distances
 * @param iommu if true, CH gives the guest a virtual IOMMU (devices with {@code iommu} sit behind it); CH default false
 * @param watchdog if true, CH adds a virtio-watchdog that resets a guest which stops petting it; CH default false
 * @param rtc the real-time clock device's settings
 * @param pvpanic if true, CH adds a pvpanic device, through which a guest kernel panic becomes a {@code panic} event; CH default false
 * @param pciSegments settings of extra PCI segments (apertures, ...)
 * @param platform platform settings: number of PCI segments, IOMMU segments, serial number, UUID, OEM strings, TDX/SEV-SNP
 * @param tpm a TPM backed by a host swtpm socket
 * @param landlockEnable if true, CH confines itself with Landlock to the files this config names (plus {@code landlockRules}); CH default false
 * @param landlockRules extra paths CH may access when {@code landlockEnable} is on
 */
public record VmConfig(
        CpusConfig cpus,
        MemoryConfig memory,
        PayloadConfig payload,
        @Json(name = "rate_limit_groups") List<RateLimitGroupConfig> rateLimitGroups,
        List<DiskConfig> disks,
        List<NetConfig> net,
        RngConfig rng,
        BalloonConfig balloon,
        List<FsConfig> fs,
        @Json(name = "generic_vhost_user") List<GenericVhostUserConfig> genericVhostUser,
        List<PmemConfig> pmem,
        SerialConfig serial,
        ConsoleConfig console,
        @Json(name = "debug_console") DebugConsoleConfig debugConsole,
        List<DeviceConfig> devices,
        @Json(name = "user_devices") List<UserDeviceConfig> userDevices,
        List<VdpaConfig> vdpa,
        VsockConfig vsock,
        List<NumaConfig> numa,
        Boolean iommu,
        Boolean watchdog,
        RtcConfig rtc,
        Boolean pvpanic,
        @Json(name = "pci_segments") List<PciSegmentConfig> pciSegments,
        PlatformConfig platform,
        TpmConfig tpm,
        @Json(name = "landlock_enable") Boolean landlockEnable,
        @Json(name = "landlock_rules") List<LandlockConfig> landlockRules) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param cpus vCPUs at boot and at most, topology and pinning; CH default 1 vCPU
     * @param memory guest RAM (sizes in bytes); CH default 512 MiB
     * @param payload what the guest boots: kernel (with command line and initramfs), firmware or IGVM (required)
     * @param rateLimitGroups limiters that several disks share by naming one in {@link DiskConfig#rateLimitGroup()}
     * @param disks virtio-block disks, in the order the guest enumerates them ({@code /dev/vda}, {@code /dev/vdb}, ...)
     * @param net virtio-net devices
     * @param rng the virtio-rng device; CH adds one reading {@code /dev/urandom} when absent
     * @param balloon a virtio-balloon device, to reclaim guest RAM
     * @param fs virtio-fs shares, each served by a host virtiofsd
     * @param genericVhostUser other virtio devices served by vhost-user backends
     * @param pmem virtio-pmem devices (host files mapped as persistent memory)
     * @param serial where the legacy serial port ({@code ttyS0}) goes; CH default: CH's own terminal
     * @param console where the virtio-console ({@code hvc0}) goes; CH default: CH's own terminal
     * @param debugConsole the x86 debug port console (port 0xe9)
     * @param devices host PCI devices passed through with VFIO (a GPU: see {@link DeviceConfig#of(dev.virtualghost.api.PciAddress)})
     * @param userDevices PCI devices emulated by vfio-user servers
     * @param vdpa vDPA devices
     * @param vsock the virtio-vsock device (CH's hybrid vsock: guest ports reached through a host Unix socket)
     * @param numa guest NUMA nodes: which vCPUs and memory zones each has, and distances
     * @param iommu if true, CH gives the guest a virtual IOMMU (devices with {@code iommu} sit behind it); CH default false
     * @param watchdog if true, CH adds a virtio-watchdog that resets a guest which stops petting it; CH default false
     * @param rtc the real-time clock device's settings
     * @param pvpanic if true, CH adds a pvpanic device, through which a guest kernel panic becomes a {@code panic} event; CH default false
     * @param pciSegments settings of extra PCI segments (apertures, ...)
     * @param platform platform settings: number of PCI segments, IOMMU segments, serial number, UUID, OEM strings, TDX/SEV-SNP
     * @param tpm a TPM backed by a host swtpm socket
     * @param landlockEnable if true, CH confines itself with Landlock to the files this config names (plus {@code landlockRules}); CH default false
     * @param landlockRules extra paths CH may access when {@code landlockEnable} is on
     */
    public VmConfig {
        rateLimitGroups = Copies.list(rateLimitGroups);
        disks = Copies.list(disks);
        net = Copies.list(net);
        fs = Copies.list(fs);
        genericVhostUser = Copies.list(genericVhostUser);
        pmem = Copies.list(pmem);
        devices = Copies.list(devices);
        userDevices = Copies.list(userDevices);
        vdpa = Copies.list(vdpa);
        numa = Copies.list(numa);
        pciSegments = Copies.list(pciSegments);
        landlockRules = Copies.list(landlockRules);
    }

    /**
     * Returns an empty builder; only {@code payload} is required by CH.
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
        b.cpus = cpus;
        b.memory = memory;
        b.payload = payload;
        b.rateLimitGroups = rateLimitGroups;
        b.disks = disks;
        b.net = net;
        b.rng = rng;
        b.balloon = balloon;
        b.fs = fs;
        b.genericVhostUser = genericVhostUser;
        b.pmem = pmem;
        b.serial = serial;
        b.console = console;
        b.debugConsole = debugConsole;
        b.devices = devices;
        b.userDevices = userDevices;
        b.vdpa = vdpa;
        b.vsock = vsock;
        b.numa = numa;
        b.iommu = iommu;
        b.watchdog = watchdog;
        b.rtc = rtc;
        b.pvpanic = pvpanic;
        b.pciSegments = pciSegments;
        b.platform = platform;
        b.tpm = tpm;
        b.landlockEnable = landlockEnable;
        b.landlockRules = landlockRules;
        return b;
    }

    /** Mutable builder for {@link VmConfig}; not thread-safe. */
    public static final class Builder {
        private CpusConfig cpus;
        private MemoryConfig memory;
        private PayloadConfig payload;
        private List<RateLimitGroupConfig> rateLimitGroups;
        private List<DiskConfig> disks;
        private List<NetConfig> net;
        private RngConfig rng;
        private BalloonConfig balloon;
        private List<FsConfig> fs;
        private List<GenericVhostUserConfig> genericVhostUser;
        private List<PmemConfig> pmem;
        private SerialConfig serial;
        private ConsoleConfig console;
        private DebugConsoleConfig debugConsole;
        private List<DeviceConfig> devices;
        private List<UserDeviceConfig> userDevices;
        private List<VdpaConfig> vdpa;
        private VsockConfig vsock;
        private List<NumaConfig> numa;
        private Boolean iommu;
        private Boolean watchdog;
        private RtcConfig rtc;
        private Boolean pvpanic;
        private List<PciSegmentConfig> pciSegments;
        private PlatformConfig platform;
        private TpmConfig tpm;
        private Boolean landlockEnable;
        private List<LandlockConfig> landlockRules;

        private Builder() {}

        /**
         * Sets {@code cpus}.
         *
         * @param cpus vCPUs at boot and at most, topology and pinning; CH default 1 vCPU
         * @return this builder
         */
        public Builder cpus(CpusConfig cpus) {
            this.cpus = cpus;
            return this;
        }

        /**
         * Sets {@code memory}.
         *
         * @param memory guest RAM (sizes in bytes); CH default 512 MiB
         * @return this builder
         */
        public Builder memory(MemoryConfig memory) {
            this.memory = memory;
            return this;
        }

        /**
         * Sets {@code payload}.
         *
         * @param payload what the guest boots: kernel (with command line and initramfs), firmware or IGVM (required)
         * @return this builder
         */
        public Builder payload(PayloadConfig payload) {
            this.payload = payload;
            return this;
        }

        /**
         * Sets {@code rateLimitGroups}.
         *
         * @param rateLimitGroups limiters that several disks share by naming one in {@link DiskConfig#rateLimitGroup()}
         * @return this builder
         */
        public Builder rateLimitGroups(List<RateLimitGroupConfig> rateLimitGroups) {
            this.rateLimitGroups = rateLimitGroups;
            return this;
        }

        /**
         * Sets {@code disks}.
         *
         * @param disks virtio-block disks, in the order the guest enumerates them ({@code /dev/vda}, {@code /dev/vdb}, ...)
         * @return this builder
         */
        public Builder disks(List<DiskConfig> disks) {
            this.disks = disks;
            return this;
        }

        /**
         * Sets {@code net}.
         *
         * @param net virtio-net devices
         * @return this builder
         */
        public Builder net(List<NetConfig> net) {
            this.net = net;
            return this;
        }

        /**
         * Sets {@code rng}.
         *
         * @param rng the virtio-rng device; CH adds one reading {@code /dev/urandom} when absent
         * @return this builder
         */
        public Builder rng(RngConfig rng) {
            this.rng = rng;
            return this;
        }

        /**
         * Sets {@code balloon}.
         *
         * @param balloon a virtio-balloon device, to reclaim guest RAM
         * @return this builder
         */
        public Builder balloon(BalloonConfig balloon) {
            this.balloon = balloon;
            return this;
        }

        /**
         * Sets {@code fs}.
         *
         * @param fs virtio-fs shares, each served by a host virtiofsd
         * @return this builder
         */
        public Builder fs(List<FsConfig> fs) {
            this.fs = fs;
            return this;
        }

        /**
         * Sets {@code genericVhostUser}.
         *
         * @param genericVhostUser other virtio devices served by vhost-user backends
         * @return this builder
         */
        public Builder genericVhostUser(List<GenericVhostUserConfig> genericVhostUser) {
            this.genericVhostUser = genericVhostUser;
            return this;
        }

        /**
         * Sets {@code pmem}.
         *
         * @param pmem virtio-pmem devices (host files mapped as persistent memory)
         * @return this builder
         */
        public Builder pmem(List<PmemConfig> pmem) {
            this.pmem = pmem;
            return this;
        }

        /**
         * Sets {@code serial}.
         *
         * @param serial where the legacy serial port ({@code ttyS0}) goes; CH default: CH's own terminal
         * @return this builder
         */
        public Builder serial(SerialConfig serial) {
            this.serial = serial;
            return this;
        }

        /**
         * Sets {@code console}.
         *
         * @param console where the virtio-console ({@code hvc0}) goes; CH default: CH's own terminal
         * @return this builder
         */
        public Builder console(ConsoleConfig console) {
            this.console = console;
            return this;
        }

        /**
         * Sets {@code debugConsole}.
         *
         * @param debugConsole the x86 debug port console (port 0xe9)
         * @return this builder
         */
        public Builder debugConsole(DebugConsoleConfig debugConsole) {
            this.debugConsole = debugConsole;
            return this;
        }

        /**
         * Sets {@code devices}.
         *
         * @param devices host PCI devices passed through with VFIO (a GPU: see {@link DeviceConfig#of(dev.virtualghost.api.PciAddress)})
         * @return this builder
         */
        public Builder devices(List<DeviceConfig> devices) {
            this.devices = devices;
            return this;
        }

        /**
         * Sets {@code userDevices}.
         *
         * @param userDevices PCI devices emulated by vfio-user servers
         * @return this builder
         */
        public Builder userDevices(List<UserDeviceConfig> userDevices) {
            this.userDevices = userDevices;
            return this;
        }

        /**
         * Sets {@code vdpa}.
         *
         * @param vdpa vDPA devices
         * @return this builder
         */
        public Builder vdpa(List<VdpaConfig> vdpa) {
            this.vdpa = vdpa;
            return this;
        }

        /**
         * Sets {@code vsock}.
         *
         * @param vsock the virtio-vsock device (CH's hybrid vsock: guest ports reached through a host Unix socket)
         * @return this builder
         */
        public Builder vsock(VsockConfig vsock) {
            this.vsock = vsock;
            return this;
        }

        /**
         * Sets {@code numa}.
         *
         * @param numa guest NUMA nodes: which vCPUs and memory zones each has, and distances
         * @return this builder
         */
        public Builder numa(List<NumaConfig> numa) {
            this.numa = numa;
            return this;
        }

        /**
         * Sets {@code iommu}.
         *
         * @param iommu if true, CH gives the guest a virtual IOMMU (devices with {@code iommu} sit behind it); CH default false
         * @return this builder
         */
        public Builder iommu(Boolean iommu) {
            this.iommu = iommu;
            return this;
        }

        /**
         * Sets {@code watchdog}.
         *
         * @param watchdog if true, CH adds a virtio-watchdog that resets a guest which stops petting it; CH default false
         * @return this builder
         */
        public Builder watchdog(Boolean watchdog) {
            this.watchdog = watchdog;
            return this;
        }

        /**
         * Sets {@code rtc}.
         *
         * @param rtc the real-time clock device's settings
         * @return this builder
         */
        public Builder rtc(RtcConfig rtc) {
            this.rtc = rtc;
            return this;
        }

        /**
         * Sets {@code pvpanic}.
         *
         * @param pvpanic if true, CH adds a pvpanic device, through which a guest kernel panic becomes a {@code panic} event; CH default false
         * @return this builder
         */
        public Builder pvpanic(Boolean pvpanic) {
            this.pvpanic = pvpanic;
            return this;
        }

        /**
         * Sets {@code pciSegments}.
         *
         * @param pciSegments settings of extra PCI segments (apertures, ...)
         * @return this builder
         */
        public Builder pciSegments(List<PciSegmentConfig> pciSegments) {
            this.pciSegments = pciSegments;
            return this;
        }

        /**
         * Sets {@code platform}.
         *
         * @param platform platform settings: number of PCI segments, IOMMU segments, serial number, UUID, OEM strings, TDX/SEV-SNP
         * @return this builder
         */
        public Builder platform(PlatformConfig platform) {
            this.platform = platform;
            return this;
        }

        /**
         * Sets {@code tpm}.
         *
         * @param tpm a TPM backed by a host swtpm socket
         * @return this builder
         */
        public Builder tpm(TpmConfig tpm) {
            this.tpm = tpm;
            return this;
        }

        /**
         * Sets {@code landlockEnable}.
         *
         * @param landlockEnable if true, CH confines itself with Landlock to the files this config names (plus {@code landlockRules}); CH default false
         * @return this builder
         */
        public Builder landlockEnable(Boolean landlockEnable) {
            this.landlockEnable = landlockEnable;
            return this;
        }

        /**
         * Sets {@code landlockRules}.
         *
         * @param landlockRules extra paths CH may access when {@code landlockEnable} is on
         * @return this builder
         */
        public Builder landlockRules(List<LandlockConfig> landlockRules) {
            this.landlockRules = landlockRules;
            return this;
        }

        /**
         * Appends one entry to {@code disks}.
         *
         * @param disk a virtio-block disk; the guest sees disks in the order they are added
         * @return this builder
         */
        public Builder addDisk(DiskConfig disk) {
            this.disks = append(this.disks, disk);
            return this;
        }

        /**
         * Appends one entry to {@code net}.
         *
         * @param net a virtio-net device
         * @return this builder
         */
        public Builder addNet(NetConfig net) {
            this.net = append(this.net, net);
            return this;
        }

        /**
         * Appends one entry to {@code fs}.
         *
         * @param fs a virtio-fs share
         * @return this builder
         */
        public Builder addFs(FsConfig fs) {
            this.fs = append(this.fs, fs);
            return this;
        }

        /**
         * Appends one entry to {@code pmem}.
         *
         * @param pmem a virtio-pmem device
         * @return this builder
         */
        public Builder addPmem(PmemConfig pmem) {
            this.pmem = append(this.pmem, pmem);
            return this;
        }

        /**
         * Appends one entry to {@code devices}.
         *
         * @param device a host PCI device passed through with VFIO
         * @return this builder
         */
        public Builder addDevice(DeviceConfig device) {
            this.devices = append(this.devices, device);
            return this;
        }

        /**
         * Appends one entry to {@code userDevices}.
         *
         * @param device a vfio-user device
         * @return this builder
         */
        public Builder addUserDevice(UserDeviceConfig device) {
            this.userDevices = append(this.userDevices, device);
            return this;
        }

        /**
         * Appends one entry to {@code vdpa}.
         *
         * @param vdpa a vDPA device
         * @return this builder
         */
        public Builder addVdpa(VdpaConfig vdpa) {
            this.vdpa = append(this.vdpa, vdpa);
            return this;
        }

        /**
         * Appends one entry to {@code numa}.
         *
         * @param node a guest NUMA node
         * @return this builder
         */
        public Builder addNuma(NumaConfig node) {
            this.numa = append(this.numa, node);
            return this;
        }

        /**
         * Appends one entry to {@code pciSegments}.
         *
         * @param segment a PCI segment's settings
         * @return this builder
         */
        public Builder addPciSegment(PciSegmentConfig segment) {
            this.pciSegments = append(this.pciSegments, segment);
            return this;
        }

        /**
         * Appends one entry to {@code rateLimitGroups}.
         *
         * @param group a shared rate limiter
         * @return this builder
         */
        public Builder addRateLimitGroup(RateLimitGroupConfig group) {
            this.rateLimitGroups = append(this.rateLimitGroups, group);
            return this;
        }

        /**
         * Appends one entry to {@code genericVhostUser}.
         *
         * @param device a vhost-user device
         * @return this builder
         */
        public Builder addGenericVhostUser(GenericVhostUserConfig device) {
            this.genericVhostUser = append(this.genericVhostUser, device);
            return this;
        }

        /**
         * Appends one entry to {@code landlockRules}.
         *
         * @param rule a Landlock rule
         * @return this builder
         */
        public Builder addLandlockRule(LandlockConfig rule) {
            this.landlockRules = append(this.landlockRules, rule);
            return this;
        }

        /**
         * Adds the VFIO device at a PCI address (see {@link DeviceConfig#of(dev.virtualghost.api.PciAddress)}).
         *
         * @param address the device's PCI address; it must be bound to {@code vfio-pci}
         * @return this builder
         */
        public Builder addDevice(dev.virtualghost.api.PciAddress address) {
            return addDevice(DeviceConfig.of(address));
        }

        private static <T> List<T> append(List<T> list, T item) {
            Objects.requireNonNull(item, "item == null");
            List<T> copy = list == null ? new ArrayList<>() : new ArrayList<>(list);
            copy.add(item);
            return copy;
        }

        /**
         * Builds the config.
         *
         * @return the config
         * @throws IllegalStateException if no payload was set
         */
        public VmConfig build() {
            if (payload == null) {
                throw new IllegalStateException("VmConfig needs a payload (kernel or firmware)");
            }
            return new VmConfig(
                    cpus,
                    memory,
                    payload,
                    rateLimitGroups,
                    disks,
                    net,
                    rng,
                    balloon,
                    fs,
                    genericVhostUser,
                    pmem,
                    serial,
                    console,
                    debugConsole,
                    devices,
                    userDevices,
                    vdpa,
                    vsock,
                    numa,
                    iommu,
                    watchdog,
                    rtc,
                    pvpanic,
                    pciSegments,
                    platform,
                    tpm,
                    landlockEnable,
                    landlockRules);
        }
    }
}
