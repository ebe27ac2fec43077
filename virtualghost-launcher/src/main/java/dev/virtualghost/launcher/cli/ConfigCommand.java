package dev.virtualghost.launcher.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code virtualghost config}: {@code --init} writes a commented default TOML file at the XDG config path;
 * {@code --show} prints every launch setting with the layer it came from (flag, environment, file, default).
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = {
            "Show the launch settings and where each comes from, or write a commented default config.",
            "Precedence: command line > VIRTUALGHOST_<KEY> environment > config file > default."
        })
final class ConfigCommand implements Callable<Integer> {

    @Option(names = "--init", description = "Write a commented default config file (refuses to overwrite).")
    boolean init;

    @Option(names = "--show", description = "Print every setting with its source (the default action).")
    boolean show;

    @CommandLine.Mixin
    LaunchOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final String DEFAULT_FILE = String.join(
            "\n",
            "# VirtualGhost launch settings (virtualghost run). Every key is optional; a flag",
            "# (e.g. --vcpus) or a VIRTUALGHOST_<KEY> environment variable (e.g. VIRTUALGHOST_VCPUS,",
            "# VIRTUALGHOST_CH_BINARY) overrides the value here.",
            "",
            "# The guest: kernel, initramfs and root disk image.",
            "# kernel = \"/var/lib/virtualghost/vmlinux\"",
            "# initramfs = \"/var/lib/virtualghost/initramfs.img\"",
            "# rootfs = \"/var/lib/virtualghost/rootfs.img\"",
            "# cmdline = \"console=ttyS0\"",
            "# Without a kernel: the guest image (guest/build-image.sh's output) to fetch into the asset",
            "# cache ($XDG_CACHE_HOME/virtualghost); see docs/guest.md.",
            "# guest-url = \"https://example.org/virtualghost/guest/\"",
            "",
            "# Resources: boot vCPUs and memory (K, M, G or T suffix).",
            "vcpus = 2",
            "memory = \"1G\"",
            "hugepages = false",
            "",
            "# The GPU to pass through with its IOMMU group: a PCI address or \"auto\".",
            "# gpu = \"0000:01:00.0\"",
            "",
            "# The cloud-hypervisor binary (default: found on PATH).",
            "# ch-binary = \"/usr/local/bin/cloud-hypervisor\"",
            "",
            "# How long a launch may take until the guest is up, and how long the guest gets after the",
            "# power button before it is forced off.",
            "timeout = \"2m\"",
            "shutdown-grace = \"10s\"",
            "");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path file = options.config != null ? options.config : ConfigLayers.defaultFile(System.getenv());
        if (init) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, DEFAULT_FILE, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                spec.commandLine()
                        .getErr()
                        .println("virtualghost: " + file + " already exists; edit it, or remove it "
                                + "first to start from the default");
                return ExitCodes.USAGE;
            } catch (IOException e) {
                spec.commandLine().getErr().println("virtualghost: cannot write " + file + ": " + e.getMessage());
                return ExitCodes.FAILED;
            }
            out.println("wrote " + file);
            out.flush();
            return ExitCodes.OK;
        }
        Map<String, ConfigLayers.Value> all =
                ConfigLayers.load(options, System.getenv()).all();
        out.println("# config file: " + file + (Files.exists(file) ? "" : " (absent)"));
        for (Map.Entry<String, ConfigLayers.Value> e : all.entrySet()) {
            ConfigLayers.Value v = e.getValue();
            String value = v.text() == null ? "(unset)" : v.text();
            out.printf("%-15s = %-40s # %s%n", e.getKey(), value, v.source());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
