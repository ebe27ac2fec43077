package dev.virtualghost.launcher.cli;

import dev.virtualghost.launcher.assets.AssetCache;
import dev.virtualghost.launcher.assets.AssetException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;

/** {@code clean --cache}: empties the guest asset cache and says what went, per image version. */
final class CacheCleaner {
    private CacheCleaner() {}

    /** Empties {@code cache}; returns the exit code. */
    static int clean(AssetCache cache, PrintWriter out, PrintWriter err) {
        Path dir = cache.directory();
        String where = CleanCommand.printable(dir.toString());
        TreeMap<String, long[]> byImage;
        try {
            byImage = inventory(dir);
        } catch (IOException | UncheckedIOException e) {
            err.println("virtualghost: cannot read the guest asset cache " + where + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        try {
            cache.clear();
        } catch (AssetException e) {
            err.println("virtualghost: " + CleanCommand.printable(e.getMessage()));
            return ExitCodes.FAILED;
        }
        if (byImage.isEmpty()) {
            out.println("Nothing to clean: the guest asset cache " + where + " is empty.");
        } else {
            long files = 0;
            long bytes = 0;
            for (var e : byImage.entrySet()) {
                out.println("removed   " + CleanCommand.printable(e.getKey()) + ": " + e.getValue()[0] + " file(s), "
                        + mib(e.getValue()[1]));
                files += e.getValue()[0];
                bytes += e.getValue()[1];
            }
            out.println(
                    "Emptied the guest asset cache " + where + ": " + files + " file(s), " + mib(bytes) + " freed.");
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Files and bytes under the cache, keyed by their first two path elements (guest/<sha256>); no lock file. */
    private static TreeMap<String, long[]> inventory(Path dir) throws IOException {
        TreeMap<String, long[]> byImage = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return byImage;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(Files::isRegularFile).forEach(p -> {
                Path rel = dir.relativize(p);
                if (rel.getNameCount() == 1 && rel.toString().equals(".lock")) {
                    return;
                }
                String key = rel.getNameCount() > 2 ? rel.subpath(0, 2).toString() : rel.toString();
                long[] acc = byImage.computeIfAbsent(key, k -> new long[2]);
                acc[0]++;
                try {
                    acc[1] += Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return byImage;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
