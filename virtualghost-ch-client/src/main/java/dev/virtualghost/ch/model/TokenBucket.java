package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * Defines a token bucket with a maximum capacity (_size_), an initial burst size (_one_time_burst_) and an interval for refilling purposes (_refill_time_). The refill-rate is derived from _size_ and _refill_time_, and it is the constant rate at which the tokens replenish. The refill process only starts happening after the initial burst budget is consumed. Consumption from the token bucket is unbounded in speed which allows for bursts bound in size by the amount of tokens available. Once the token bucket is empty, consumption speed is bound by the refill-rate.
 *
 * <p>Mirrors the {@code TokenBucket} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param size The total number of tokens this bucket can hold. (required)
 * @param oneTimeBurst The initial size of a token bucket.; null when absent
 * @param refillTime The amount of milliseconds it takes for the bucket to refill. (required)
 */
public record TokenBucket(
        Long size,
        @Json(name = "one_time_burst") Long oneTimeBurst,
        @Json(name = "refill_time") Long refillTime) {
}
