package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;

/**
 * Virtual machine configuration
 *
 * <p>Mirrors the {@code VmConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param cpus the {@code cpus} field; null when absent
 * @param memory the {@code memory} field; null when absent
 * @param payload the {@code payload} field (required)
 * @param rateLimitGroups the {@code rate_limit_groups} field; null when absent
 * @param disks the {@code disks} field; null when absent
 * @param net the {@code net} field; null when absent
 * @param rng the {@code rng} field; null when absent
 * @param balloon the {@code balloon} field; null when absent
 * @param fs the {@code fs} field; null when absent
 * @param genericVhostUser the {@code generic_vhost_user} field; null when absent
 * @param pmem the {@code pmem} field; null when absent
 * @param serial the {@code serial} field; null when absent
 * @param console the {@code console} field; null when absent
 * @param debugConsole the {@code debug_console} field; null when absent
 * @param devices the {@code devices} field; null when absent
 * @param userDevices the {@code user_devices} field; null when absent
 * @param vdpa the {@code vdpa} field; null when absent
 * @param vsock the {@code vsock} field; null when absent
 * @param numa the {@code numa} field; null when absent
 * @param iommu the {@code iommu} field; null when absent
 * @param watchdog the {@code watchdog} field; null when absent
 * @param rtc the {@code rtc} field; null when absent
 * @param pvpanic the {@code pvpanic} field; null when absent
 * @param pciSegments the {@code pci_segments} field; null when absent
 * @param platform the {@code platform} field; null when absent
 * @param tpm the {@code tpm} field; null when absent
 * @param landlockEnable the {@code landlock_enable} field; null when absent
 * @param landlockRules the {@code landlock_rules} field; null when absent
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
    /** Copies the lists so the record cannot change; null (absent) stays null. */
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

    /** Returns a builder; only {@code payload} is required by CH. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this config's values. */
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

        private Builder() {
        }

        /** Sets {@code cpus}. */
        public Builder cpus(CpusConfig cpus) {
            this.cpus = cpus;
            return this;
        }

        /** Sets {@code memory}. */
        public Builder memory(MemoryConfig memory) {
            this.memory = memory;
            return this;
        }

        /** Sets {@code payload}. */
        public Builder payload(PayloadConfig payload) {
            this.payload = payload;
            return this;
        }

        /** Sets {@code rateLimitGroups}. */
        public Builder rateLimitGroups(List<RateLimitGroupConfig> rateLimitGroups) {
            this.rateLimitGroups = rateLimitGroups;
            return this;
        }

        /** Sets {@code disks}. */
        public Builder disks(List<DiskConfig> disks) {
            this.disks = disks;
            return this;
        }

        /** Sets {@code net}. */
        public Builder net(List<NetConfig> net) {
            this.net = net;
            return this;
        }

        /** Sets {@code rng}. */
        public Builder rng(RngConfig rng) {
            this.rng = rng;
            return this;
        }

        /** Sets {@code balloon}. */
        public Builder balloon(BalloonConfig balloon) {
            this.balloon = balloon;
            return this;
        }

        /** Sets {@code fs}. */
        public Builder fs(List<FsConfig> fs) {
            this.fs = fs;
            return this;
        }

        /** Sets {@code genericVhostUser}. */
        public Builder genericVhostUser(List<GenericVhostUserConfig> genericVhostUser) {
            this.genericVhostUser = genericVhostUser;
            return this;
        }

        /** Sets {@code pmem}. */
        public Builder pmem(List<PmemConfig> pmem) {
            this.pmem = pmem;
            return this;
        }

        /** Sets {@code serial}. */
        public Builder serial(SerialConfig serial) {
            this.serial = serial;
            return this;
        }

        /** Sets {@code console}. */
        public Builder console(ConsoleConfig console) {
            this.console = console;
            return this;
        }

        /** Sets {@code debugConsole}. */
        public Builder debugConsole(DebugConsoleConfig debugConsole) {
            this.debugConsole = debugConsole;
            return this;
        }

        /** Sets {@code devices}. */
        public Builder devices(List<DeviceConfig> devices) {
            this.devices = devices;
            return this;
        }

        /** Sets {@code userDevices}. */
        public Builder userDevices(List<UserDeviceConfig> userDevices) {
            this.userDevices = userDevices;
            return this;
        }

        /** Sets {@code vdpa}. */
        public Builder vdpa(List<VdpaConfig> vdpa) {
            this.vdpa = vdpa;
            return this;
        }

        /** Sets {@code vsock}. */
        public Builder vsock(VsockConfig vsock) {
            this.vsock = vsock;
            return this;
        }

        /** Sets {@code numa}. */
        public Builder numa(List<NumaConfig> numa) {
            this.numa = numa;
            return this;
        }

        /** Sets {@code iommu}. */
        public Builder iommu(Boolean iommu) {
            this.iommu = iommu;
            return this;
        }

        /** Sets {@code watchdog}. */
        public Builder watchdog(Boolean watchdog) {
            this.watchdog = watchdog;
            return this;
        }

        /** Sets {@code rtc}. */
        public Builder rtc(RtcConfig rtc) {
            this.rtc = rtc;
            return this;
        }

        /** Sets {@code pvpanic}. */
        public Builder pvpanic(Boolean pvpanic) {
            this.pvpanic = pvpanic;
            return this;
        }

        /** Sets {@code pciSegments}. */
        public Builder pciSegments(List<PciSegmentConfig> pciSegments) {
            this.pciSegments = pciSegments;
            return this;
        }

        /** Sets {@code platform}. */
        public Builder platform(PlatformConfig platform) {
            this.platform = platform;
            return this;
        }

        /** Sets {@code tpm}. */
        public Builder tpm(TpmConfig tpm) {
            this.tpm = tpm;
            return this;
        }

        /** Sets {@code landlockEnable}. */
        public Builder landlockEnable(Boolean landlockEnable) {
            this.landlockEnable = landlockEnable;
            return this;
        }

        /** Sets {@code landlockRules}. */
        public Builder landlockRules(List<LandlockConfig> landlockRules) {
            this.landlockRules = landlockRules;
            return this;
        }

        /**
         * Builds the config.
         *
         * @throws IllegalStateException if no payload was set
         */
        public VmConfig build() {
            if (payload == null) {
                throw new IllegalStateException("VmConfig needs a payload (kernel or firmware)");
            }
            return new VmConfig(cpus, memory, payload, rateLimitGroups, disks, net, rng, balloon, fs, genericVhostUser, pmem, serial, console, debugConsole, devices, userDevices, vdpa, vsock, numa, iommu, watchdog, rtc, pvpanic, pciSegments, platform, tpm, landlockEnable, landlockRules);
        }
    }
}
