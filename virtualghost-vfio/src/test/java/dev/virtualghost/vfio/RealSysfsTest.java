package dev.virtualghost.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.virtualghost.api.PciAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads this machine's real {@code /sys/bus/pci/devices} (read-only) and checks every device's ids, class and
 * driver against {@code lspci -n -k -D} from pciutils. Skips when lspci is absent, unless
 * {@code virtualghost.it.strict=true}, which makes that a failure.
 */
class RealSysfsTest {
    // "0000:00:01.0 ffff: 1af4:1045 (rev 01)": address, class (base+sub), vendor:device.
    private static final Pattern DEVICE = Pattern.compile(
            "^([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]) ([0-9a-f]{4}): ([0-9a-f]{4}):([0-9a-f]{4}).*");
    private static final Pattern DRIVER = Pattern.compile("^\\s+Kernel driver in use: (\\S+)");

    record Listed(String classHex, String ids, String driver) {
    }

    @Test
    void everyDeviceMatchesLspci() throws Exception {
        Optional<Path> lspci = Stream.of("/usr/bin/lspci", "/usr/sbin/lspci", "/sbin/lspci", "/bin/lspci")
                .map(Path::of).filter(Files::isExecutable).findFirst();
        if (lspci.isEmpty()) {
            assertThat(Boolean.getBoolean("virtualghost.it.strict"))
                    .as("lspci (pciutils) is required when virtualghost.it.strict=true").isFalse();
            assumeTrue(false, "lspci not installed (apt-get install pciutils); skipping the real-sysfs comparison");
        }
        assumeTrue(Files.isDirectory(Path.of("/sys/bus/pci/devices")), "no /sys/bus/pci/devices here");

        Map<String, Listed> listed = runLspci(lspci.get());
        List<PciDevice> devices = PciBus.system().devices();

        assertThat(devices).extracting(d -> d.address().toString())
                .containsExactlyInAnyOrderElementsOf(listed.keySet());
        for (PciDevice d : devices) {
            Listed l = listed.get(d.address().toString());
            assertThat(d.ids()).as("ids of %s", d.address()).isEqualTo(l.ids());
            assertThat(String.format("%04x", d.classCode() >>> 8)).as("class of %s", d.address())
                    .isEqualTo(l.classHex());
            assertThat(d.driver()).as("driver of %s", d.address()).isEqualTo(l.driver());
            assertThat(d.name()).isNotBlank();
        }
        // Whatever the bus holds, a GPU found is a display-class device.
        assertThat(PciBus.system().gpus()).allSatisfy(g -> assertThat(g.display().isDisplay()).isTrue());
    }

    @Test
    void pciIdsNamesKnownVendorWhenInstalled() {
        Path ids = Path.of("/usr/share/misc/pci.ids");
        assumeTrue(Files.isReadable(ids) || Files.isReadable(Path.of("/usr/share/hwdata/pci.ids")),
                "pci.ids not installed");
        assertThat(PciIds.system().vendor(0x8086)).contains("Intel Corporation");
        assertThat(PciIds.system().vendor(0x10de)).contains("NVIDIA Corporation");
        assertThat(PciIds.system().device(0xffff, 0xffff)).isEmpty();
        assertThat(PciAddress.isValid("0000:00:00.0")).isTrue();
    }

    private static Map<String, Listed> runLspci(Path lspci) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(lspci.toString(), "-n", "-k", "-D")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("lspci finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as("lspci exit code").isZero();
        Map<String, Listed> map = new HashMap<>();
        String current = null;
        for (String line : out.lines().toList()) {
            Matcher m = DEVICE.matcher(line);
            if (m.matches()) {
                current = m.group(1);
                map.put(current, new Listed(m.group(2), m.group(3) + ":" + m.group(4), null));
                continue;
            }
            Matcher d = DRIVER.matcher(line);
            if (d.matches() && current != null) {
                Listed l = map.get(current);
                map.put(current, new Listed(l.classHex(), l.ids(), d.group(1)));
            }
        }
        assertThat(map).as("lspci listed devices").isNotEmpty();
        return map;
    }
}
