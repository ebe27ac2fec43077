package dev.virtualghost.launcher.internal;

import dev.virtualghost.api.VirtualGhostException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Reads the guest's side of the SSH trust path from its serial console file: one
 * {@code VIRTUALGHOST-HOSTKEY <type> <base64>} line per host key, then {@code VIRTUALGHOST-READY} once sshd
 * listens. The file is 0600 in the VMM's 0700 directory, so only the VMM's owner (and the guest) can have
 * written it. Only the first {@value #MAX_BYTES} bytes are scanned.
 */
public final class SerialHandshake {
    /** The prefix of a host key line. */
    public static final String HOSTKEY = "VIRTUALGHOST-HOSTKEY ";
    /** The readiness line. */
    public static final String READY = "VIRTUALGHOST-READY";

    private static final int MAX_BYTES = 4 << 20;
    private static final Duration POLL = Duration.ofMillis(25);

    /**
     * What the guest reported.
     *
     * @param hostKeys the host key lines, as OpenSSH public key lines ({@code ssh-ed25519 AAAA...})
     */
    public record Result(List<String> hostKeys) {
        /**
         * The ed25519 key, the one the launcher pins.
         *
         * @return the ed25519 host key line, or empty when the guest reported none
         */
        public Optional<String> ed25519() {
            return hostKeys.stream().filter(k -> k.startsWith("ssh-ed25519 ")).findFirst();
        }
    }

    private SerialHandshake() {}

    /**
     * Waits until the serial file holds the READY line.
     *
     * @param serial the serial file
     * @param timeout the longest wait
     * @param guestGone true once the VMM has exited (the guest powered off or crashed)
     * @param cancelled true once the launch was cancelled
     * @return the host keys the guest reported
     * @throws VirtualGhostException when the guest is gone first, the timeout passes, or no ed25519 key came
     * @throws InterruptedException if interrupted
     */
    public static Result await(Path serial, Duration timeout, BooleanSupplier guestGone, BooleanSupplier cancelled)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean gone = guestGone.getAsBoolean();
            Optional<Result> r = scan(serial);
            if (r.isPresent()) {
                if (r.get().ed25519().isEmpty()) {
                    throw new VirtualGhostException("the guest reported no ed25519 host key on its serial console "
                            + "(VIRTUALGHOST-HOSTKEY ssh-ed25519 ...); the guest image must generate one at boot");
                }
                return r.get();
            }
            if (gone) {
                throw new VirtualGhostException("the guest powered off before it was reachable over SSH "
                        + "(no VIRTUALGHOST-READY on its serial console); check the guest with the serial tail");
            }
            if (cancelled.getAsBoolean()) {
                throw new VirtualGhostException("cancelled while waiting for the guest's SSH");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new VirtualGhostException("the guest did not report VIRTUALGHOST-READY on its serial console "
                        + "within " + timeout.toSeconds() + " s; is it a VirtualGhost guest image?");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Parses the serial file so far: the host keys once READY was printed, else empty. */
    static Optional<Result> scan(Path serial) {
        byte[] data;
        try (InputStream in = Files.newInputStream(serial)) {
            data = in.readNBytes(MAX_BYTES);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new VirtualGhostException(
                    "cannot read the guest's serial console " + serial + ": " + e.getMessage(), e);
        }
        List<String> keys = new ArrayList<>();
        for (String raw : new String(data, StandardCharsets.UTF_8).split("\n")) {
            String line = raw.strip();
            int at = line.indexOf(HOSTKEY);
            if (at >= 0) {
                String[] parts = line.substring(at + HOSTKEY.length()).trim().split("\\s+");
                if (parts.length >= 2) {
                    keys.add(parts[0] + " " + parts[1]);
                }
            } else if (line.equals(READY) || line.endsWith(" " + READY)) {
                return Optional.of(new Result(List.copyOf(keys)));
            }
        }
        return Optional.empty();
    }
}
