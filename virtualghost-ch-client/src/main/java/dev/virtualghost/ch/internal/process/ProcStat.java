package dev.virtualghost.ch.internal.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads a process's start time from {@code /proc/<pid>/stat} (field 22, {@code starttime}, in clock ticks since
 * boot), which together with the pid names one process for good: a recycled pid has a later start time.
 * Stateless.
 */
public final class ProcStat {

    private ProcStat() {}

    /**
     * The start time of a live (not zombie) process, or empty when there is no such process or it has exited
     * and waits to be reaped.
     */
    public static OptionalLong startTicks(long pid) {
        if (pid <= 0) {
            return OptionalLong.empty();
        }
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        // The command name (field 2) is in parentheses and may hold spaces or ')': parse after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return OptionalLong.empty();
        }
        String[] fields = stat.substring(close + 1).trim().split(" ");
        // fields[0] is field 3 (state), so field 22 is fields[19].
        if (fields.length < 20 || fields[0].equals("Z") || fields[0].equals("X")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(fields[19]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
