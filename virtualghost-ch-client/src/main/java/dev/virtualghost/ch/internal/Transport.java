package dev.virtualghost.ch.internal;

import java.io.IOException;
import java.time.Duration;

/** Sends one request to CH and returns its raw answer; implementations are thread-safe. */
public interface Transport extends AutoCloseable {

    /**
     * Sends {@code method /api/v1 endpoint}.
     *
     * @param body    the JSON body, or null for a body-less call (sent with {@code Content-Length: 0})
     * @param timeout the whole call's deadline
     * @throws IOException on any connection failure or timeout ({@link java.io.InterruptedIOException})
     */
    RawResponse exchange(String method, String endpoint, byte[] body, Duration timeout) throws IOException;

    @Override
    void close();
}
