package dev.virtualghost.launcher;

import dev.virtualghost.api.PciAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one launch needs, as the CLI's flags, the TOML config and Java callers all produce it.
 * Immutable; build with {@link #builder()}. {@link #builder()}'s defaults: 2 vCPUs, 1 GiB of memory, no GPU,
 * {@code /sys}, the {@link RuntimePaths} root, a 2-minute launch timeout, no SSH.
 *
 * <p>Paths are made absolute (against the current directory) on construction.
 *
 * @param chBinary the {@code cloud-hypervisor} binary; null to search {@code PATH}
 * @param kernel the guest kernel (a Linux {@code bzImage}/{@code vmlinux}, or any PVH ELF)
 * @param initramfs the initramfs, or null
 * @param rootfs the root disk image, or null
 * @param cmdline the kernel command line, or null (the session's {@code virtualghost.authorized_key=} is appended)
 * @param vcpus boot vCPUs, 1 to 254
 * @param memoryBytes guest memory in bytes, at least 64 MiB, a multiple of 2 MiB with hugepages
 * @param hugepages back guest memory with hugepages
 * @param gpu the GPU to pass through with its IOMMU group, or null for a headless VM
 * @param sysRoot the sysfs root the GPU is bound through ({@code /sys}; a fake tree in tests)
 * @param runtimeRoot where the run's private directory and journal go
 * @param launchTimeout how long the steps up to a reachable guest may take
 * @param ssh whether the launch waits for the guest's SSH (command and shell runs; the kiosk does not)
 * @param shutdownGrace how long the unwind waits for the guest after {@code vm.power-button}
 */
public record LaunchSpec(
        Path chBinary,
        Path kernel,
        Path initramfs,
        Path rootfs,
        String cmdline,
        int vcpus,
        long memoryBytes,
        boolean hugepages,
        PciAddress gpu,
        Path sysRoot,
        Path runtimeRoot,
        Duration launchTimeout,
        boolean ssh,
        Duration shutdownGrace) {

    /** The smallest guest memory accepted. */
    public static final long MIN_MEMORY = 64L << 20;

    /**
     * Validates every field; the messages say what to change.
     *
     * @param chBinary the {@code cloud-hypervisor} binary; null to search {@code PATH}
     * @param kernel the guest kernel; required
     * @param initramfs the initramfs, or null
     * @param rootfs the root disk image, or null
     * @param cmdline the kernel command line, or null; one line
     * @param vcpus boot vCPUs, 1 to 254
     * @param memoryBytes guest memory in bytes, at least {@link #MIN_MEMORY}, a multiple of 2 MiB with hugepages
     * @param hugepages back guest memory with hugepages
     * @param gpu the GPU to pass through, or null
     * @param sysRoot the sysfs root; required
     * @param runtimeRoot where the run's private directory and journal go; required
     * @param launchTimeout how long the launch may take up to a reachable guest; positive
     * @param ssh whether the launch waits for the guest's SSH
     * @param shutdownGrace how long the unwind waits for the guest after the power button; not negative
     * @throws IllegalArgumentException if a value is out of range or the kernel is missing (the message says which)
     * @throws NullPointerException if {@code sysRoot}, {@code runtimeRoot}, {@code launchTimeout} or
     *     {@code shutdownGrace} is null
     */
    public LaunchSpec {
        if (kernel == null) {
            throw new IllegalArgumentException("no guest kernel: give one with --kernel (or kernel = in the config)");
        }
        Objects.requireNonNull(sysRoot, "sysRoot == null");
        Objects.requireNonNull(runtimeRoot, "runtimeRoot == null");
        Objects.requireNonNull(launchTimeout, "launchTimeout == null");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace == null");
        // Absolute: the VMM runs in its own directory, where a relative path would point elsewhere.
        kernel = kernel.toAbsolutePath().normalize();
        initramfs = initramfs == null ? null : initramfs.toAbsolutePath().normalize();
        rootfs = rootfs == null ? null : rootfs.toAbsolutePath().normalize();
        chBinary = chBinary == null ? null : chBinary.toAbsolutePath().normalize();
        sysRoot = sysRoot.toAbsolutePath().normalize();
        runtimeRoot = runtimeRoot.toAbsolutePath().normalize();
        if (vcpus < 1 || vcpus > 254) {
            throw new IllegalArgumentException("vcpus must be between 1 and 254, got " + vcpus);
        }
        if (memoryBytes < MIN_MEMORY) {
            throw new IllegalArgumentException("memory must be at least 64M, got " + memoryBytes + " bytes");
        }
        if (hugepages && memoryBytes % (2L << 20) != 0) {
            throw new IllegalArgumentException(
                    "with hugepages, memory must be a multiple of 2M, got " + memoryBytes + " bytes");
        }
        if (launchTimeout.isNegative() || launchTimeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + launchTimeout);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown grace must not be negative, got " + shutdownGrace);
        }
        if (cmdline != null && (cmdline.indexOf('\n') >= 0 || cmdline.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("the kernel command line must be one line");
        }
    }

    /**
     * The GPU, when the VM gets one.
     *
     * @return the GPU's address, or empty for a headless VM
     */
    public Optional<PciAddress> gpuAddress() {
        return Optional.ofNullable(gpu);
    }

    /**
     * A builder with the defaults above.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this spec's values.
     *
     * @return a new builder, independent of this spec
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.chBinary = chBinary;
        b.kernel = kernel;
        b.initramfs = initramfs;
        b.rootfs = rootfs;
        b.cmdline = cmdline;
        b.vcpus = vcpus;
        b.memoryBytes = memoryBytes;
        b.hugepages = hugepages;
        b.gpu = gpu;
        b.sysRoot = sysRoot;
        b.runtimeRoot = runtimeRoot;
        b.launchTimeout = launchTimeout;
        b.ssh = ssh;
        b.shutdownGrace = shutdownGrace;
        return b;
    }

    /** Builds a {@link LaunchSpec}. Not thread-safe. */
    public static final class Builder {
        private Path chBinary;
        private Path kernel;
        private Path initramfs;
        private Path rootfs;
        private String cmdline;
        private int vcpus = 2;
        private long memoryBytes = 1L << 30;
        private boolean hugepages;
        private PciAddress gpu;
        private Path sysRoot = Path.of("/sys");
        private Path runtimeRoot;
        private Duration launchTimeout = Duration.ofMinutes(2);
        private boolean ssh;
        private Duration shutdownGrace = Duration.ofSeconds(10);

        private Builder() {}

        /**
         * The {@code cloud-hypervisor} binary (default: searched on {@code PATH}).
         *
         * @param chBinary the binary, or null to search {@code PATH}
         * @return this builder
         */
        public Builder chBinary(Path chBinary) {
            this.chBinary = chBinary;
            return this;
        }

        /**
         * The guest kernel (required).
         *
         * @param kernel the kernel image
         * @return this builder
         */
        public Builder kernel(Path kernel) {
            this.kernel = kernel;
            return this;
        }

        /**
         * The initramfs.
         *
         * @param initramfs the initramfs, or null for none
         * @return this builder
         */
        public Builder initramfs(Path initramfs) {
            this.initramfs = initramfs;
            return this;
        }

        /**
         * The root disk image.
         *
         * @param rootfs the disk image, or null for none
         * @return this builder
         */
        public Builder rootfs(Path rootfs) {
            this.rootfs = rootfs;
            return this;
        }

        /**
         * The kernel command line.
         *
         * @param cmdline the command line (one line), or null for the default
         * @return this builder
         */
        public Builder cmdline(String cmdline) {
            this.cmdline = cmdline;
            return this;
        }

        /**
         * Boot vCPUs (default 2).
         *
         * @param vcpus the number of vCPUs, 1 to 254
         * @return this builder
         */
        public Builder vcpus(int vcpus) {
            this.vcpus = vcpus;
            return this;
        }

        /**
         * Guest memory in bytes (default 1 GiB).
         *
         * @param bytes the memory size in bytes, at least {@link LaunchSpec#MIN_MEMORY}
         * @return this builder
         */
        public Builder memoryBytes(long bytes) {
            this.memoryBytes = bytes;
            return this;
        }

        /**
         * Hugepage-backed memory (default off).
         *
         * @param hugepages true to back memory with hugepages
         * @return this builder
         */
        public Builder hugepages(boolean hugepages) {
            this.hugepages = hugepages;
            return this;
        }

        /**
         * The GPU to pass through (default none).
         *
         * @param gpu the GPU's PCI address, or null for none
         * @return this builder
         */
        public Builder gpu(PciAddress gpu) {
            this.gpu = gpu;
            return this;
        }

        /**
         * The sysfs root (default {@code /sys}).
         *
         * @param sysRoot the directory sysfs is mounted on
         * @return this builder
         */
        public Builder sysRoot(Path sysRoot) {
            this.sysRoot = sysRoot;
            return this;
        }

        /**
         * The runtime root (default {@link RuntimePaths#fromEnvironment()}).
         *
         * @param runtimeRoot the runtime root, or null for the default
         * @return this builder
         */
        public Builder runtimeRoot(Path runtimeRoot) {
            this.runtimeRoot = runtimeRoot;
            return this;
        }

        /**
         * How long the launch may take up to a reachable guest (default 2 minutes).
         *
         * @param timeout the launch timeout; positive
         * @return this builder
         */
        public Builder launchTimeout(Duration timeout) {
            this.launchTimeout = timeout;
            return this;
        }

        /**
         * Whether the launch connects to the guest's SSH (default false).
         *
         * @param ssh true to connect to the guest's SSH
         * @return this builder
         */
        public Builder ssh(boolean ssh) {
            this.ssh = ssh;
            return this;
        }

        /**
         * How long the unwind waits for the guest after the power button (default 10 s).
         *
         * @param grace the grace period; not negative
         * @return this builder
         */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = grace;
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return a new, validated spec
         * @throws IllegalArgumentException if a value is out of range or the kernel is missing (the message says)
         */
        public LaunchSpec build() {
            Path root = runtimeRoot != null
                    ? runtimeRoot
                    : RuntimePaths.fromEnvironment().root();
            return new LaunchSpec(
                    chBinary,
                    kernel,
                    initramfs,
                    rootfs,
                    cmdline,
                    vcpus,
                    memoryBytes,
                    hugepages,
                    gpu,
                    sysRoot,
                    root,
                    launchTimeout,
                    ssh,
                    shutdownGrace);
        }
    }
}
