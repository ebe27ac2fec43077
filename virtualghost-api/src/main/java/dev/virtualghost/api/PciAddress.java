package dev.virtualghost.api;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A validated PCI address in the kernel's canonical form {@code DDDD:BB:DD.F} (domain, bus, device,
 * function), as used for {@code /sys/bus/pci/devices/<address>} and CH's {@code DeviceConfig.path}.
 *
 * <p>Because the address becomes part of sysfs paths that are written to, parsing is strict: only
 * hexadecimal fields of the right width and range are accepted, so nothing like {@code ../} can reach a
 * path. Immutable and thread-safe.
 *
 * @param domain   PCI segment, 0 to 0xffff
 * @param bus      bus number, 0 to 0xff
 * @param device   device (slot) number, 0 to 0x1f
 * @param function function number, 0 to 7
 */
public record PciAddress(int domain, int bus, int device, int function) implements Comparable<PciAddress> {

    private static final Pattern FULL = Pattern.compile("([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");
    private static final Pattern SHORT = Pattern.compile("([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

    /**
     * Validates the fields.
     *
     * @param domain   PCI segment, 0 to 0xffff
     * @param bus      bus number, 0 to 0xff
     * @param device   device (slot) number, 0 to 0x1f
     * @param function function number, 0 to 7
     * @throws IllegalArgumentException if a field is out of range
     */
    public PciAddress {
        checkRange("domain", domain, 0xffff);
        checkRange("bus", bus, 0xff);
        checkRange("device", device, 0x1f);
        checkRange("function", function, 7);
    }

    /**
     * Parses {@code DDDD:BB:DD.F} or the short {@code BB:DD.F} form (domain 0000), case-insensitively.
     *
     * @param text the address, as printed by {@code lspci -D} or {@code lspci}
     * @return the address
     * @throws IllegalArgumentException with a message naming the accepted forms, for anything else
     */
    public static PciAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("PCI address == null");
        }
        String trimmed = text.strip();
        Matcher full = FULL.matcher(trimmed);
        if (full.matches()) {
            return of(hex(full.group(1)), hex(full.group(2)), hex(full.group(3)), hex(full.group(4)), text);
        }
        Matcher brief = SHORT.matcher(trimmed);
        if (brief.matches()) {
            return of(0, hex(brief.group(1)), hex(brief.group(2)), hex(brief.group(3)), text);
        }
        throw new IllegalArgumentException(
                invalid(text) + ": expected DDDD:BB:DD.F or BB:DD.F in hex, e.g. 0000:01:00.0 (see lspci -D)");
    }

    /**
     * Returns whether {@code text} parses as a PCI address.
     *
     * @param text the text to test, may be null
     * @return true if {@link #parse(String)} would accept it
     */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static PciAddress of(int domain, int bus, int device, int function, String original) {
        if (device > 0x1f) {
            throw new IllegalArgumentException(invalid(original) + ": device number must be 00 to 1f in DDDD:BB:DD.F");
        }
        return new PciAddress(domain, bus, device, function);
    }

    /**
     * Returns the address of another function in the same slot (e.g. a GPU's HDMI audio at {@code .1}).
     *
     * @param newFunction the function number, 0 to 7
     * @return the address
     */
    public PciAddress withFunction(int newFunction) {
        return new PciAddress(domain, bus, device, newFunction);
    }

    /**
     * Returns whether {@code other} sits in the same domain, bus and device slot.
     *
     * @param other another address
     * @return true if only the functions may differ
     */
    public boolean sameSlot(PciAddress other) {
        return domain == other.domain && bus == other.bus && device == other.device;
    }

    /**
     * Returns the canonical lower-case form {@code DDDD:BB:DD.F}.
     *
     * @return the address as sysfs names it
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%04x:%02x:%02x.%x", domain, bus, device, function);
    }

    /**
     * Orders by domain, bus, device, then function, as {@code lspci -D} lists devices.
     *
     * @param o another address
     * @return negative, zero or positive
     */
    @Override
    public int compareTo(PciAddress o) {
        int c = Integer.compare(domain, o.domain);
        if (c == 0) c = Integer.compare(bus, o.bus);
        if (c == 0) c = Integer.compare(device, o.device);
        if (c == 0) c = Integer.compare(function, o.function);
        return c;
    }

    private static int hex(String s) {
        return Integer.parseInt(s, 16);
    }

    private static String invalid(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "invalid PCI address '" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    private static void checkRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(
                    "PCI " + field + " " + value + " out of range 0.." + Integer.toHexString(max) + " (hex)");
        }
    }
}
