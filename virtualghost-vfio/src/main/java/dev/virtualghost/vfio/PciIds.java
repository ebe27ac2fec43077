package dev.virtualghost.vfio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vendor and device names from the pci.ids database (the file pciutils and hwdata ship). Parsed lazily, once, on
 * first lookup; a missing or unreadable file just yields no names. Thread-safe.
 */
public final class PciIds {
    private static final Logger LOG = LoggerFactory.getLogger(PciIds.class);
    private static final List<Path> DEFAULT_LOCATIONS =
            List.of(Path.of("/usr/share/misc/pci.ids"), Path.of("/usr/share/hwdata/pci.ids"));

    private final Path file;
    private volatile Map<Integer, String> vendors;
    private volatile Map<Integer, String> devices;

    private PciIds(Path file) {
        this.file = file;
    }

    /**
     * Returns the database at Debian's ({@code /usr/share/misc/pci.ids}) or hwdata's
     * ({@code /usr/share/hwdata/pci.ids}) location, whichever is readable.
     *
     * @return the installed database, or {@link #none()} when neither file is readable
     */
    public static PciIds system() {
        for (Path p : DEFAULT_LOCATIONS) {
            if (Files.isReadable(p)) {
                return new PciIds(p);
            }
        }
        return none();
    }

    /**
     * Returns the database in {@code file}; the file is read on the first lookup, and an unreadable one yields no
     * names.
     *
     * @param file a file in pci.ids format
     * @return a lazily parsed database
     */
    public static PciIds at(Path file) {
        return new PciIds(file);
    }

    /**
     * Returns an empty database, so devices are named by their ids.
     *
     * @return a database for which every lookup is empty
     */
    public static PciIds none() {
        return new PciIds(null);
    }

    /**
     * Looks up a vendor's name; parses the file on first use.
     *
     * @param vendorId the 16-bit PCI vendor id, e.g. {@code 0x10de}
     * @return the name, e.g. "NVIDIA Corporation", or empty when unknown
     */
    public Optional<String> vendor(int vendorId) {
        load();
        return Optional.ofNullable(vendors.get(vendorId));
    }

    /**
     * Looks up a device's name; parses the file on first use.
     *
     * @param vendorId the 16-bit PCI vendor id, e.g. {@code 0x10de}
     * @param deviceId the 16-bit PCI device id, e.g. {@code 0x2684}
     * @return the name, e.g. "AD102 [GeForce RTX 4090]", or empty when unknown
     */
    public Optional<String> device(int vendorId, int deviceId) {
        load();
        return Optional.ofNullable(devices.get((vendorId << 16) | deviceId));
    }

    /**
     * Returns a human name for a device, as {@link PciDevice#name()} shows it.
     *
     * @param vendorId the 16-bit PCI vendor id
     * @param deviceId the 16-bit PCI device id
     * @return "Vendor Device" when known, "Vendor device vvvv:dddd" when only the vendor is, else {@code vvvv:dddd}
     */
    public String describe(int vendorId, int deviceId) {
        String ids = String.format("%04x:%04x", vendorId, deviceId);
        Optional<String> v = vendor(vendorId);
        if (v.isEmpty()) {
            return ids;
        }
        return device(vendorId, deviceId).map(d -> v.get() + " " + d).orElse(v.get() + " device " + ids);
    }

    private void load() {
        if (devices != null) {
            return;
        }
        synchronized (this) {
            if (devices != null) {
                return;
            }
            Map<Integer, String> v = new HashMap<>();
            Map<Integer, String> d = new HashMap<>();
            if (file != null) {
                parse(file, v, d);
            }
            vendors = Map.copyOf(v);
            devices = Map.copyOf(d);
        }
    }

    // Format (pciutils pci.ids header): "vvvv  name" at column 0, "\tdddd  name" for its devices,
    // "\t\tssss ssss  name" for subsystems, and a "C cc  name" section for classes that ends the vendor list.
    private static void parse(Path file, Map<Integer, String> vendors, Map<Integer, String> devices) {
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            int vendor = -1;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("C ")) {
                    break;
                }
                if (line.startsWith("\t\t")) {
                    continue;
                }
                if (line.startsWith("\t")) {
                    if (vendor >= 0 && line.length() > 7) {
                        Integer id = hex4(line.substring(1, 5));
                        if (id != null) {
                            devices.put((vendor << 16) | id, line.substring(5).strip());
                        }
                    }
                    continue;
                }
                Integer id = line.length() > 6 ? hex4(line.substring(0, 4)) : null;
                vendor = id == null ? -1 : id;
                if (id != null) {
                    vendors.put(id, line.substring(4).strip());
                }
            }
        } catch (IOException e) {
            LOG.debug("pci.ids at {} unreadable, showing ids only: {}", file, e.toString());
        }
    }

    private static Integer hex4(String s) {
        try {
            return Integer.parseInt(s, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
