package dev.virtualghost.ch.model;

import dev.virtualghost.ch.internal.Copies;
import com.squareup.moshi.Json;
import java.util.List;

/**
 * The {@code ReceiveMigrationData} object of the Cloud Hypervisor REST API.
 *
 * <p>Mirrors the {@code ReceiveMigrationData} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param receiverUrl the {@code receiver_url} field (required)
 * @param tlsDir Directory containing the TLS server certificate (server-cert.pem), the TLS server key (server-key.pem), and the client TLS root CA certificate (ca-cert.pem). TLS is only supported with tcp:&lt;host&gt;:&lt;port&gt; receiver URLs.; null when absent
 * @param memoryMode the {@code memory_mode} field; null when absent
 * @param zoneUpdates the {@code zone_updates} field; null when absent
 */
public record ReceiveMigrationData(
        @Json(name = "receiver_url") String receiverUrl,
        @Json(name = "tls_dir") String tlsDir,
        @Json(name = "memory_mode") String memoryMode,
        @Json(name = "zone_updates") List<VmMemoryZoneUpdateData> zoneUpdates) {
    /** Copies the lists so the record cannot change; null (absent) stays null. */
    public ReceiveMigrationData {
        zoneUpdates = Copies.list(zoneUpdates);
    }
}
