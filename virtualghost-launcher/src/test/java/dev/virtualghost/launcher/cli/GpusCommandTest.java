package dev.virtualghost.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code virtualghost gpus} on this machine's real, read-only {@code /sys}, and on bad input. */
class GpusCommandTest {
    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void listsExactlyTheDisplayClassDevicesOfTheRealSysfs() throws IOException {
        Path devices = Path.of("/sys/bus/pci/devices");
        assumeTrue(Files.isDirectory(devices), "this host has no /sys/bus/pci/devices");
        // Independent oracle: the kernel's own class files, base class 0x03 = display controller.
        List<String> displays;
        try (Stream<Path> all = Files.list(devices)) {
            displays = all.filter(d -> readClass(d).startsWith("0x03"))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        }

        assertThat(run("gpus")).isZero();

        String listing = out.toString();
        if (displays.isEmpty()) {
            assertThat(listing).startsWith("No GPU: no PCI display-class device");
        } else {
            for (String address : displays) {
                assertThat(listing).contains(address);
            }
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aFakeDesktopIsListedWithIndentedCompanionsAndGroups(@TempDir Path tmp) throws Exception {
        dev.virtualghost.vfio.FakeSysfs fs = dev.virtualghost.vfio.Rigs.desktop(tmp);
        assertThat(run("gpus", "--sys", fs.root().toString())).isZero();
        assertThat(out.toString())
                .contains(dev.virtualghost.vfio.Rigs.GPU + "  ")
                .contains("\n  + " + dev.virtualghost.vfio.Rigs.AUDIO)
                .contains("\n  IOMMU group 12: 3 device(s)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aDirectoryThatIsNotSysfsIsOneLineAndExitTwo(@TempDir Path empty) {
        assertThat(run("gpus", "--sys", empty.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip())
                .doesNotContain("\n")
                .doesNotContain("Exception")
                .contains("no PCI devices under")
                .contains("--sys");
    }

    private static String readClass(Path device) {
        try {
            return Files.readString(device.resolve("class")).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
