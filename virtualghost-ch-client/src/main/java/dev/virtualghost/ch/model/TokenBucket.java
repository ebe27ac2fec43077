package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * One token bucket of a CH rate limiter: {@code size} tokens, refilled completely every {@code refillTime} ms.
 *
 * <p>Mirrors the {@code TokenBucket} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param size bucket size: bytes for a bandwidth bucket, operations (requests or packets) for an ops bucket; required
 * @param oneTimeBurst extra tokens available once at start, in the same unit as {@code size}, not refilled
 * @param refillTime time in milliseconds to refill the whole bucket from empty; required
 */
public record TokenBucket(
        Long size,
        @Json(name = "one_time_burst") Long oneTimeBurst,
        @Json(name = "refill_time") Long refillTime) {}
