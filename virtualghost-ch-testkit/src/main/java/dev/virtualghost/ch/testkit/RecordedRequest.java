package dev.virtualghost.ch.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One request as {@link FakeCloudHypervisor} received it, for assertions.
 *
 * <p>Immutable (headers and body are copied in and the body copied out) and so thread-safe.
 *
 * @param method the HTTP method
 * @param path the request target, e.g. {@code /api/v1/vm.boot}
 * @param headers header values by lower-case name
 * @param body the raw body bytes (empty when none)
 */
public record RecordedRequest(String method, String path, Map<String, String> headers, byte[] body) {
    /**
     * Copies the headers and the body, so later changes to the arguments do not show.
     *
     * @param method the HTTP method
     * @param path the request target, e.g. {@code /api/v1/vm.boot}
     * @param headers header values by lower-case name; copied
     * @param body the raw body bytes (empty when none); copied
     */
    public RecordedRequest {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    /**
     * The body decoded as UTF-8.
     *
     * @return the body as text; empty when the request had no body
     */
    public String bodyUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The raw body bytes.
     *
     * @return a fresh copy of the body on every call (empty when none), so callers cannot change the record
     */
    @Override
    public byte[] body() {
        return body.clone();
    }
}
