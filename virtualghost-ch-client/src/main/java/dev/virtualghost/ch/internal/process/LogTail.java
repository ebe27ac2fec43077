package dev.virtualghost.ch.internal.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the last lines of CH's log files for error messages. Stateless. */
public final class LogTail {
    /** Reads at most this many bytes from a file's end: enough for a few dozen lines. */
    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {}

    /** The last {@code lines} lines of {@code file}; empty when it is missing or unreadable. */
    public static List<String> lastLines(Path file, int lines) {
        if (lines <= 0 || !Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = Math.max(0, length - MAX_BYTES);
            byte[] buf = new byte[(int) (length - start)];
            raf.seek(start);
            raf.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\r?\n");
            List<String> out = new ArrayList<>();
            for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
                if (!all[i].isEmpty() || i < all.length - 1) {
                    out.add(all[i]);
                }
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The last {@code lines} lines of each non-empty file, each block headed {@code [label] }, joined with newlines
     * in the map's order; empty when nothing was written.
     */
    public static String labelled(Map<String, Path> files, int lines) {
        StringBuilder sb = new StringBuilder();
        files.forEach((label, file) -> {
            List<String> tail = lastLines(file, lines);
            if (!tail.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : "\n")
                        .append('[')
                        .append(label)
                        .append("] ")
                        .append(String.join("\n", tail));
            }
        });
        return sb.toString();
    }
}
