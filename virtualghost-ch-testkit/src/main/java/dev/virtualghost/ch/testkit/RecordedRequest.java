package dev.virtualghost.ch.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One request as {@link FakeCloudHypervisor} received it, for assertions.
 *
 * @param method the HTTP method
 * @param path the request target, e.g. {@code /api/v1/vm.boot}
 * @param headers header values by lower-case name
 * @param body the raw body bytes (empty when none)
 */
public record RecordedRequest(String method, String path, Map<String, String> headers, byte[] body) {
  public RecordedRequest {
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyUtf8() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
