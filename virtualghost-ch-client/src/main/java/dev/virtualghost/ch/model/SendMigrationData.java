package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;

/**
 * The body of {@code vm.send-migration}: CH streams the VM to a receiving VMM, then stops it here.
 *
 * <p>Mirrors the {@code SendMigrationData} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param destinationUrl where the receiver listens: {@code unix:<path>} or {@code tcp:<host>:<port>}; required
 * @param local if true (same host, Unix socket), CH passes guest memory as file descriptors instead of copying it
 * @param downtimeMs the longest pause CH aims for at the switch-over, in milliseconds; CH default 300
 * @param timeoutS the longest the whole migration may take, in seconds; CH default 3600
 * @param timeoutStrategy what CH does at the timeout, one of {@link TimeoutStrategy}: {@code Cancel} (keep the VM here) or {@code Ignore} (switch over anyway)
 * @param connections parallel TCP connections for the memory, 1 to 128 (not with Unix sockets); CH default 1
 * @param tlsDir directory with {@code ca-cert.pem}, {@code client-cert.pem} and {@code client-key.pem}; TLS only for {@code tcp:} URLs
 * @param memoryMode how memory moves, one of {@link MigrationMode}: {@code Precopy} or {@code Postcopy}
 */
public record SendMigrationData(
        @Json(name = "destination_url") String destinationUrl,
        Boolean local,
        @Json(name = "downtime_ms") Long downtimeMs,
        @Json(name = "timeout_s") Long timeoutS,
        @Json(name = "timeout_strategy") String timeoutStrategy,
        Long connections,
        @Json(name = "tls_dir") String tlsDir,
        @Json(name = "memory_mode") String memoryMode) {}
