package dev.virtualghost.ch.model;


/**
 * Defines an IO rate limiter with independent bytes/s and ops/s limits. Limits are defined by configuring each of the _bandwidth_ and _ops_ token buckets.
 *
 * <p>Mirrors the {@code RateLimiterConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param bandwidth the {@code bandwidth} field; null when absent
 * @param ops the {@code ops} field; null when absent
 */
public record RateLimiterConfig(
        TokenBucket bandwidth,
        TokenBucket ops) {
}
