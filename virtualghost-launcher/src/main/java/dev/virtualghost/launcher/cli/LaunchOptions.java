package dev.virtualghost.launcher.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The flags that describe a launch. Every one is null when not given, so that the config layers
 * (flag, then {@code VIRTUALGHOST_*} environment, then the TOML file, then the default) can tell.
 */
final class LaunchOptions {
    @Option(
            names = "--gpu",
            paramLabel = "ADDR|auto",
            description = "The GPU to pass through with its IOMMU group (e.g. 0000:01:00.0), or auto.")
    String gpu;

    @Option(names = "--vcpus", paramLabel = "N", description = "Boot vCPUs (default 2).")
    Integer vcpus;

    @Option(
            names = "--memory",
            paramLabel = "SIZE",
            converter = ByteSizeConverter.class,
            description = "Guest memory, e.g. 4G (default 1G).")
    Long memory;

    @Option(names = "--kernel", paramLabel = "FILE", description = "The guest kernel.")
    Path kernel;

    @Option(names = "--initramfs", paramLabel = "FILE", description = "The guest initramfs.")
    Path initramfs;

    @Option(names = "--rootfs", paramLabel = "FILE", description = "The guest root disk image.")
    Path rootfs;

    @Option(names = "--cmdline", paramLabel = "TEXT", description = "The kernel command line.")
    String cmdline;

    @Option(
            names = "--guest-url",
            paramLabel = "URL",
            description = "Where to fetch the guest image (manifest.json and its files) into the asset cache when "
                    + "no --kernel is given; see docs/guest.md.")
    String guestUrl;

    @Option(
            names = "--ch-binary",
            paramLabel = "FILE",
            description = "The cloud-hypervisor binary (default: found on PATH).")
    Path chBinary;

    @Option(
            names = "--hugepages",
            arity = "0..1",
            paramLabel = "BOOL",
            description = "Back guest memory with hugepages.")
    Boolean hugepages;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long the launch may take until the guest is up, e.g. 90s (default 2m).")
    Duration timeout;

    @Option(
            names = "--shutdown-grace",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "How long to wait for the guest after the power button before forcing it off " + "(default 10s).")
    Duration shutdownGrace;

    @Option(
            names = "--sys",
            paramLabel = "DIR",
            description = "sysfs root the GPU is bound through (default /sys); another tree for tests.")
    Path sys;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The TOML config (default: $XDG_CONFIG_HOME/virtualghost/config.toml).")
    Path config;

    /** The config layers over these flags, the environment and the config file. */
    ConfigLayers layers() {
        return ConfigLayers.load(this, System.getenv());
    }
}
