package dev.virtualghost.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * driver against {@code lspci -n -k -D}, and its name against {@code lspci -mm} reading the same pci.ids, from
 * pciutils. Skips when lspci is absent, unless {@code virtualghost.it.strict=true}, which makes that a failure.
 */
class RealSysfsIT {
    // "0000:00:01.0 ffff: 1af4:1045 (rev 01)": address, class (base+sub), vendor:device.
    private static final Pattern DEVICE = Pattern.compile(
            "^([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]) ([0-9a-f]{4}): ([0-9a-f]{4}):([0-9a-f]{4}).*");
    private static final Pattern DRIVER = Pattern.compile("^\\s+Kernel driver in use: (\\S+)");

    record Listed(String classHex, String ids, String driver) {}

    // '0000:00:01.0 "Unassigned class [ffff]" "Red Hat, Inc." "Virtio 1.0 memory balloon" -r01 ...': address, then
    // class, vendor and device, each quoted with backslash escapes (lspci's print_shell_escaped).
    private static final Pattern MACHINE = Pattern.compile(
            "^(\\S+) \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\".*");

    @Test
    void everyDeviceMatchesLspci() throws Exception {
        Path lspci = lspciOrSkip();
        Map<String, Listed> listed = runLspci(lspci);
        List<PciDevice> devices = PciBus.system().devices();

        assertThat(devices)
                .extracting(d -> d.address().toString())
                .containsExactlyInAnyOrderElementsOf(listed.keySet());
        for (PciDevice d : devices) {
            Listed l = listed.get(d.address().toString());
            assertThat(d.ids()).as("ids of %s", d.address()).isEqualTo(l.ids());
            assertThat(String.format("%04x", d.classCode() >>> 8))
                    .as("class of %s", d.address())
                    .isEqualTo(l.classHex());
            assertThat(d.driver()).as("driver of %s", d.address()).isEqualTo(l.driver());
        }
        // Every display-class function (base class 03) lspci lists is a GPU, and nothing else is.
        assertThat(PciBus.system().gpus())
                .extracting(g -> g.display().address().toString())
                .containsExactlyInAnyOrderElementsOf(listed.entrySet().stream()
                        .filter(e -> e.getValue().classHex().startsWith("03"))
                        .map(Map.Entry::getKey)
                        .toList());
    }

    @Test
    void namesMatchLspciReadingTheSamePciIds() throws Exception {
        Path lspci = lspciOrSkip();
        Optional<Path> db = Stream.of("/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids")
                .map(Path::of)
                .filter(Files::isReadable)
                .findFirst();
        assumeTrue(db.isPresent(), "pci.ids not installed (apt-get install pciutils or hwdata)");
        // -i: the same database PciIds.system() reads, so both name the device from the same entry.
        Map<String, List<String>> names =
                runMachine(lspci, "-mm", "-D", "-i", db.get().toString());
        Map<String, List<String>> numbers = runMachine(lspci, "-mm", "-n", "-D");
        PciIds ids = PciIds.system();

        List<PciDevice> devices = PciBus.system().devices();
        assertThat(devices).isNotEmpty();
        for (PciDevice d : devices) {
            String a = d.address().toString();
            assertThat(numbers).as("lspci -mm -n lists %s", a).containsKey(a);
            assertThat(numbers.get(a).get(1) + ":" + numbers.get(a).get(2))
                    .as("ids of %s", a)
                    .isEqualTo(d.ids());
            String vendor = names.get(a).get(1);
            String device = names.get(a).get(2);
            // A name missing from pci.ids makes lspci fall back to udev's hwdb or "Device 2684"; only compare what
            // the database holds.
            if (ids.device(d.vendorId(), d.deviceId()).isPresent()) {
                assertThat(d.name()).as("name of %s", a).isEqualTo(vendor + " " + device);
            } else if (ids.vendor(d.vendorId()).isPresent()) {
                assertThat(d.name()).as("name of %s", a).isEqualTo(vendor + " device " + d.ids());
            } else {
                assertThat(d.name()).as("name of %s", a).isEqualTo(d.ids());
            }
        }
    }

    @Test
    void pciIdsNamesKnownVendorWhenInstalled() {
        Path ids = Path.of("/usr/share/misc/pci.ids");
        assumeTrue(
                Files.isReadable(ids) || Files.isReadable(Path.of("/usr/share/hwdata/pci.ids")),
                "pci.ids not installed");
        assertThat(PciIds.system().vendor(0x8086)).contains("Intel Corporation");
        assertThat(PciIds.system().vendor(0x10de)).contains("NVIDIA Corporation");
        assertThat(PciIds.system().device(0xffff, 0xffff)).isEmpty();
    }

    private static Path lspciOrSkip() {
        Optional<Path> lspci = Stream.of("/usr/bin/lspci", "/usr/sbin/lspci", "/sbin/lspci", "/bin/lspci")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
        if (lspci.isEmpty()) {
            assertThat(Boolean.getBoolean("virtualghost.it.strict"))
                    .as("lspci (pciutils) is required when virtualghost.it.strict=true")
                    .isFalse();
            assumeTrue(false, "lspci not installed (apt-get install pciutils); skipping the real-sysfs comparison");
        }
        assumeTrue(Files.isDirectory(Path.of("/sys/bus/pci/devices")), "no /sys/bus/pci/devices here");
        return lspci.get();
    }

    /** Address to [class, vendor, device] from lspci's machine-readable (-mm) output. */
    private static Map<String, List<String>> runMachine(Path lspci, String... args)
            throws IOException, InterruptedException {
        Map<String, List<String>> map = new HashMap<>();
        for (String line : run(lspci, args).lines().toList()) {
            Matcher m = MACHINE.matcher(line);
            assertThat(m.matches()).as("lspci -mm line '%s'", line).isTrue();
            map.put(
                    m.group(1),
                    Stream.of(m.group(2), m.group(3), m.group(4))
                            .map(f -> f.replaceAll("\\\\(.)", "$1"))
                            .toList());
        }
        assertThat(map).as("lspci listed devices").isNotEmpty();
        return map;
    }

    private static String run(Path lspci, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(lspci.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("lspci finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as("exit code of %s", cmd).isZero();
        return out;
    }

    private static Map<String, Listed> runLspci(Path lspci) throws IOException, InterruptedException {
        String out = run(lspci, "-n", "-k", "-D");
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
