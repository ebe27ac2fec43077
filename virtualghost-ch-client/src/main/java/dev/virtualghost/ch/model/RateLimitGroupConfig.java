package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code RateLimitGroupConfig} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code RateLimitGroupConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param id the {@code id} field (required)
 * @param rateLimiterConfig the {@code rate_limiter_config} field (required)
 */
public record RateLimitGroupConfig(
        String id,
        @Json(name = "rate_limiter_config") RateLimiterConfig rateLimiterConfig) {
}
