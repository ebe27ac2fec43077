package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;

/**
 * Virtual Machine Monitor information
 *
 * <p>Mirrors the {@code VmmPingResponse} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param buildVersion the {@code build_version} field; null when absent
 * @param version the {@code version} field (required)
 * @param pid the {@code pid} field; null when absent
 * @param features the {@code features} field; null when absent
 */
public record VmmPingResponse(
        @Json(name = "build_version") String buildVersion,
        String version,
        Long pid,
        List<String> features) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public VmmPingResponse {
        features = Copies.list(features);
    }
}
