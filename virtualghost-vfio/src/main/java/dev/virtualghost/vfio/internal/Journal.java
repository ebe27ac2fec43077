package dev.virtualghost.vfio.internal;

import dev.virtualghost.api.PciAddress;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The restore journal of one binding: each device's original driver and driver_override, written before the first
 * sysfs write so a crashed run can be undone. A properties file; written to a sibling temp file then moved into place
 * so a crash never leaves a torn journal. Not thread-safe; one binding owns one journal.
 */
public final class Journal {
    private static final String PREFIX = "vfio-binding-";

    /** One device's state before binding; null driver/override mean none. */
    public record Entry(PciAddress address, String driver, String override) {
    }

    private Journal() {
    }

    /** Creates a new journal file (mode 0600, unique name) in {@code dir} holding {@code entries}. */
    public static Path create(Path dir, int group, List<Entry> entries) throws IOException {
        Path file = Files.createTempFile(dir, PREFIX + "group" + group + "-", ".properties");
        write(file, group, entries);
        return file;
    }

    private static void write(Path file, int group, List<Entry> entries) throws IOException {
        Properties p = new Properties();
        p.setProperty("group", Integer.toString(group));
        p.setProperty("count", Integer.toString(entries.size()));
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            p.setProperty("device." + i + ".address", e.address().toString());
            p.setProperty("device." + i + ".driver", e.driver() == null ? "" : e.driver());
            p.setProperty("device." + i + ".override", e.override() == null ? "" : e.override());
        }
        Path tmp = Files.createTempFile(file.getParent(), PREFIX, ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "virtualghost vfio restore journal: original drivers before binding to vfio-pci");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads the entries of a journal.
     *
     * @throws IOException when unreadable
     * @throws IllegalArgumentException when malformed (bad count or PCI address)
     */
    public static List<Entry> read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        int count;
        try {
            count = Integer.parseInt(p.getProperty("count", "-1"));
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 0 || count > 256) {
            throw new IllegalArgumentException("journal " + file + " has no valid device count");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PciAddress a = PciAddress.parse(p.getProperty("device." + i + ".address", ""));
            out.add(new Entry(a, driverName(p.getProperty("device." + i + ".driver"), file),
                    driverName(p.getProperty("device." + i + ".override"), file)));
        }
        return List.copyOf(out);
    }

    // Journal values go back into sysfs paths and files, so only plain driver names pass.
    private static String driverName(String s, Path file) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (!s.matches("[A-Za-z0-9_.:+-]{1,64}")) {
            throw new IllegalArgumentException("journal " + file + " holds an invalid driver name '"
                    + s.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return s;
    }
}
