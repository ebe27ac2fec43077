package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The {@code SendMigrationData} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code SendMigrationData} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param destinationUrl the {@code destination_url} field (required)
 * @param local the {@code local} field; null when absent
 * @param downtimeMs The maximum downtime the migration aims for, in milliseconds. Defaults to 300ms.; null when absent
 * @param timeoutS The timeout for the migration (maximum total duration), in seconds. Defaults to 3600s (one hour).; null when absent
 * @param timeoutStrategy the {@code timeout_strategy} field; null when absent
 * @param connections The number of parallel TCP connections to use for migration. Must be between 1 and 128. Multiple connections are not supported with local UNIX-socket migration.; null when absent
 * @param tlsDir Directory containing the TLS root CA certificate (ca-cert.pem), the TLS client certificate (client-cert.pem), and TLS client key (client-key.pem). TLS is only supported with tcp:&lt;host&gt;:&lt;port&gt; destination URLs.; null when absent
 * @param memoryMode the {@code memory_mode} field; null when absent
 */
public record SendMigrationData(
        @Json(name = "destination_url") String destinationUrl,
        Boolean local,
        @Json(name = "downtime_ms") Long downtimeMs,
        @Json(name = "timeout_s") Long timeoutS,
        @Json(name = "timeout_strategy") String timeoutStrategy,
        Long connections,
        @Json(name = "tls_dir") String tlsDir,
        @Json(name = "memory_mode") String memoryMode) {
}
