package dev.virtualghost.ch.model;

/**
 * A rate limiter CH applies to a device's I/O: a bandwidth bucket and an operations bucket; either may be absent (unlimited).
 *
 * <p>Mirrors the {@code RateLimiterConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param bandwidth limits bytes per refill period
 * @param ops limits operations (disk requests, network packets) per refill period
 */
public record RateLimiterConfig(TokenBucket bandwidth, TokenBucket ops) {}
