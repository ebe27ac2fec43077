package dev.virtualghost.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What an example printed on one stream, captured for the tests (thread-safe, as PrintStream is). */
final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    PrintStream stream() {
        return stream;
    }

    String text() {
        synchronized (stream) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
