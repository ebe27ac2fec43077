package dev.virtualghost.launcher.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --sys DIR} option of the commands that read sysfs: the real {@code /sys}, or another tree. */
final class SysfsRootOption {
    @Option(
            names = "--sys",
            paramLabel = "DIR",
            defaultValue = "/sys",
            description = "sysfs root to read (default: ${DEFAULT-VALUE}); another tree for inspection or tests.")
    Path root;
}
