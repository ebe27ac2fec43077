package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.List;

/**
 * Virtual Machine Monitor information
 *
 * <p>Mirrors the {@code VmmPingResponse} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param buildVersion the version the VMM binary was built as, e.g. {@code "v54.0.0"} (a {@code git describe} string
 *     for builds between releases); null when absent
 * @param version the VMM's release version, e.g. {@code "54.0.0"} (required)
 * @param pid the process id of the VMM answering on the socket, which tells whose socket it is; null when absent
 * @param features the Cargo features the binary was built with, e.g. {@code ["io_uring", "kvm"]}; null when absent
 */
public record VmmPingResponse(
        @Json(name = "build_version") String buildVersion, String version, Long pid, List<String> features) {
    /**
     * Copies the lists so the record cannot change; null (absent) stays null.
     *
     * @param buildVersion the version the VMM binary was built as; null when absent
     * @param version the VMM's release version (required)
     * @param pid the process id of the VMM; null when absent
     * @param features the Cargo features the binary was built with; copied; null when absent
     */
    public VmmPingResponse {
        features = Copies.list(features);
    }
}
