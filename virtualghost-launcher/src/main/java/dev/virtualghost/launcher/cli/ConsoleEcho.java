package dev.virtualghost.launcher.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies what the guest writes to its serial console file onto the user's terminal while {@code run --console}
 * waits: whole lines as they appear, and what is left when the run ends.
 *
 * <p>The bytes come from the guest, so they are not trusted: every control character but tab is shown as {@code ?}
 * (a guest must not be able to move the host terminal's cursor, retitle it or answer queries through escape
 * sequences), and carriage returns are dropped. Polled from the thread that waits for the run; not thread-safe.
 */
final class ConsoleEcho {
    private static final int MAX_CHUNK = 64 * 1024;

    private final Path file;
    private final PrintWriter out;
    private long position;
    private byte[] pending = new byte[0];

    ConsoleEcho(Path file, PrintWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Prints the complete lines written since the last call; a partial last line waits for its end. */
    void pump() {
        byte[] fresh = readNew();
        if (fresh.length == 0) {
            return;
        }
        byte[] all = concat(pending, fresh);
        int end = lastNewline(all);
        if (end < 0) {
            pending = all;
            return;
        }
        print(all, end + 1);
        pending = java.util.Arrays.copyOfRange(all, end + 1, all.length);
    }

    /** Prints everything not printed yet, a partial last line included. */
    void drain() {
        pump();
        if (pending.length > 0) {
            print(pending, pending.length);
            out.println();
            out.flush();
            pending = new byte[0];
        }
    }

    private byte[] readNew() {
        if (!Files.isRegularFile(file)) {
            return new byte[0];
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            if (length < position) {
                position = 0; // the file was rewritten (CH does so on vm.reboot): follow the new one
            }
            int n = (int) Math.min(MAX_CHUNK, length - position);
            byte[] bytes = new byte[n];
            raf.seek(position);
            raf.readFully(bytes);
            position += n;
            return bytes;
        } catch (IOException e) {
            return new byte[0]; // the console is a convenience; the run's outcome never depends on it
        }
    }

    private void print(byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        StringBuilder safe = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\n' || c == '\t') {
                safe.appendCodePoint(c);
            } else if (c == '\r') {
                // dropped: a bare CR would let the guest overwrite the line the user reads
            } else if (Character.isISOControl(c) || c == 0xfffd) {
                safe.append('?');
            } else {
                safe.appendCodePoint(c);
            }
        });
        out.print(safe);
        out.flush();
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
