package dev.virtualghost.vfio.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns a failed sysfs write into the kernel's reason and a hint for the user. Stateless. */
public final class SysfsErrors {
    private SysfsErrors() {}

    /** The strerror text of the failure, e.g. "Device or resource busy". */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Whether the failure is a permission refusal. Non-root writers get EACCES from open(2), since sysfs driver files
     * are root-owned and 0200 ({@code unbind}, {@code bind}, {@code drivers_probe}: drivers/base/bus.c) or 0644
     * ({@code driver_override}: drivers/pci/pci-sysfs.c), which the JDK raises as {@link AccessDeniedException}; a
     * write(2) refused for lack of capability fails with EPERM ("Operation not permitted").
     */
    public static boolean isPermission(IOException e) {
        if (e instanceof AccessDeniedException) {
            return true;
        }
        String r = reason(e).toLowerCase(java.util.Locale.ROOT);
        return r.contains("not permitted") || r.contains("permission denied");
    }

    /** What to try for that reason, in parentheses, or empty. */
    public static String hint(String reason) {
        String r = reason.toLowerCase(java.util.Locale.ROOT);
        if (r.contains("busy")) {
            return " (is the host display or another process using it? stop it, or use a GPU the host does not drive)";
        }
        if (r.contains("not permitted") || r.contains("permission denied")) {
            return " (run as root: writing sysfs driver files needs root / CAP_SYS_ADMIN)";
        }
        if (r.contains("no such device")) {
            return " (the device or driver went away; check lspci -D -k and dmesg)";
        }
        if (r.contains("no such file")) {
            return " (the device vanished or this kernel lacks the attribute; check lspci -D and uname -r)";
        }
        return " (check dmesg)";
    }
}
