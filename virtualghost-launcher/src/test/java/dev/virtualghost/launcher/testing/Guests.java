package dev.virtualghost.launcher.testing;

import dev.virtualghost.ch.testkit.PvhTestGuest;
import java.nio.file.Path;

/** The testkit's PVH test guests the launcher tests boot, written into a test's directory. */
public final class Guests {
    private Guests() {}

    /** A guest that prints {@code line} and powers off at once. */
    public static Path poweringOff(Path dir, String line) {
        return PvhTestGuest.builder()
                .serialLine(line)
                .mode(PvhTestGuest.Mode.POWER_OFF)
                .build()
                .writeTo(dir.resolve("power-off.elf"));
    }

    /** A guest that prints {@code line} and then idles (halts) until the VMM stops it. */
    public static Path idle(Path dir, String line) {
        return PvhTestGuest.builder()
                .serialLine(line)
                .mode(PvhTestGuest.Mode.HALT)
                .build()
                .writeTo(dir.resolve("idle.elf"));
    }
}
