package dev.virtualghost.ch.testkit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Writes a {@link PvhTestGuest} image from the command line, so that shell users and the README's quick start can
 * boot the same tiny guest the tests boot, with nothing but the testkit jar:
 *
 * <pre>{@code
 * java -cp virtualghost-ch-testkit.jar dev.virtualghost.ch.testkit.PvhTestGuestMain \
 *     --mode power-off-after-delay --delay 2s --line "hello from the guest" guest.elf
 * }</pre>
 *
 * <p>Flags: {@code --mode power-off|power-off-after-delay|halt|crash} (default {@code power-off}), {@code --delay
 * <duration>} ({@code 500ms}, {@code 2s}, {@code 1m}; only with {@code power-off-after-delay}), {@code --line <text>}
 * (repeatable: one serial line each), then the output file. Exit status 0 on success, 2 for a command-line mistake
 * (one line on stderr saying what to fix), 1 if the file cannot be written.
 */
public final class PvhTestGuestMain {
    private static final String USAGE = "usage: PvhTestGuestMain [--mode power-off|power-off-after-delay|halt|crash]"
            + " [--delay 2s] [--line TEXT]... OUTPUT_FILE";

    private PvhTestGuestMain() {}

    /**
     * Entry point; see the class comment.
     *
     * @param args the flags and the output file
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Parses {@code args}, writes the image and reports on {@code out}/{@code err}.
     *
     * @param args the flags and the output file
     * @param out where the written file is reported
     * @param err where mistakes are reported, one line each
     * @return the exit status: 0 written, 1 not written, 2 command-line mistake
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        PvhTestGuest.Builder builder = PvhTestGuest.builder();
        Path output = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--mode" -> builder.mode(mode(value(args, ++i, a)));
                    case "--delay" -> builder.powerOffDelay(duration(value(args, ++i, a)));
                    case "--line" -> builder.serialLine(value(args, ++i, a));
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (a.startsWith("-") || output != null) {
                            throw new IllegalArgumentException("unexpected argument '" + a + "'");
                        }
                        output = Path.of(a);
                    }
                }
            }
            if (output == null) {
                throw new IllegalArgumentException("no output file given");
            }
            PvhTestGuest guest = builder.build();
            guest.writeTo(output);
            out.println("wrote " + output + " (" + guest + ")");
            return 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage() + "; " + USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println("error: cannot write " + output + ": " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static PvhTestGuest.Mode mode(String text) {
        try {
            return PvhTestGuest.Mode.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown mode '" + text + "' (use power-off, power-off-after-delay, halt or crash)", e);
        }
    }

    private static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.parse(text);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("cannot read the delay '" + text + "' (write e.g. 500ms, 2s or 1m)", e);
        }
    }
}
