package dev.virtualghost.vfio.internal;

/**
 * Driver names as the kernel allows them in {@code /sys/bus/pci/drivers/<name>}: a single path component (no
 * {@code /}, not {@code .} or {@code ..}) of printable ASCII, at most 255 bytes (NAME_MAX). Names read from a
 * {@code driver} link or a journal go back into sysfs paths, so every one is checked here before use, and shown
 * through {@link #printable(String)} when refused. Stateless.
 */
public final class DriverNames {
    private static final int NAME_MAX = 255;

    private DriverNames() {}

    /** Whether {@code name} is a plain driver name. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > NAME_MAX || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '/') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code s} with every character outside printable ASCII replaced by {@code ?}, cut to 80 characters, so a name
     * from sysfs or a journal can go into a one-line message without breaking it (a newline, an escape sequence).
     */
    public static String printable(String s) {
        if (s == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 81));
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > 80) {
            b.append("...");
        }
        return b.toString();
    }
}
