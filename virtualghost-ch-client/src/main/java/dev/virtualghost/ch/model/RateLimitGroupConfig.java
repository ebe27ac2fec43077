package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * A rate limiter shared by every disk that names it in {@link DiskConfig#rateLimitGroup()}.
 *
 * <p>Mirrors the {@code RateLimitGroupConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param id the group's id, which disks refer to
 * @param rateLimiterConfig the limits the group's disks share
 */
public record RateLimitGroupConfig(
        String id, @Json(name = "rate_limiter_config") RateLimiterConfig rateLimiterConfig) {}
