package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.List;

/**
 * The body of {@code vm.receive-migration}: CH listens for a VM sent by another VMM's {@code vm.send-migration}.
 *
 * <p>Mirrors the {@code ReceiveMigrationData} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 *
 * @param receiverUrl where to listen: {@code unix:<path>} or {@code tcp:<host>:<port>}; required
 * @param tlsDir directory with {@code server-cert.pem}, {@code server-key.pem} and the client root {@code ca-cert.pem}; TLS only for {@code tcp:} URLs
 * @param memoryMode how memory moves, one of {@link MigrationMode}; must match the sender's
 * @param zoneUpdates per memory zone, a host NUMA node to bind it to here
 */
public record ReceiveMigrationData(
        @Json(name = "receiver_url") String receiverUrl,
        @Json(name = "tls_dir") String tlsDir,
        @Json(name = "memory_mode") String memoryMode,
        @Json(name = "zone_updates") List<VmMemoryZoneUpdateData> zoneUpdates) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param receiverUrl where to listen: {@code unix:<path>} or {@code tcp:<host>:<port>}; required
     * @param tlsDir directory with {@code server-cert.pem}, {@code server-key.pem} and the client root {@code ca-cert.pem}; TLS only for {@code tcp:} URLs
     * @param memoryMode how memory moves, one of {@link MigrationMode}; must match the sender's
     * @param zoneUpdates per memory zone, a host NUMA node to bind it to here
     */
    public ReceiveMigrationData {
        zoneUpdates = Copies.list(zoneUpdates);
    }
}
