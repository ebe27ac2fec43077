package dev.virtualghost.launcher.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads a process's start time from {@code /proc/<pid>/stat}, so that a recycled pid is never mistaken. */
public final class ProcStat {
    private ProcStat() {}

    /**
     * Field 22 of {@code /proc/<pid>/stat} (start time in clock ticks since boot), or empty when the process is
     * gone or the file cannot be parsed.
     *
     * @param pid the process id
     * @return the start time in clock ticks, or empty
     */
    public static OptionalLong startTicks(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat"));
            String stat = new String(raw, StandardCharsets.US_ASCII);
            // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
            int close = stat.lastIndexOf(')');
            if (close < 0) {
                return OptionalLong.empty();
            }
            String[] rest = stat.substring(close + 2).trim().split(" ");
            // rest[0] is field 3 (state), so field 22 is rest[19].
            return rest.length > 19 ? OptionalLong.of(Long.parseLong(rest[19])) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * True when {@code pid} runs and started at {@code startTicks}.
     *
     * @param pid the process id
     * @param startTicks the start time recorded when the process was started
     * @return whether the same process still runs
     */
    public static boolean isSameProcess(long pid, long startTicks) {
        OptionalLong now = startTicks(pid);
        return now.isPresent() && now.getAsLong() == startTicks;
    }

    /**
     * True when {@code pid} is a zombie (exited, not yet reaped): it holds no resources any more.
     *
     * @param pid the process id
     * @return whether the process is a zombie
     */
    public static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            return close >= 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
