package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import java.util.Objects;

/**
 * Payloads to boot in guest
 *
 * <p>Mirrors the {@code PayloadConfig} schema of the CH API. Immutable (list and map components are unmodifiable copies); null components are
 * absent from the JSON, and unknown JSON fields from newer CH versions are ignored.
 *
 * @param firmware the {@code firmware} field; null when absent
 * @param kernel the {@code kernel} field; null when absent
 * @param cmdline the {@code cmdline} field; null when absent
 * @param initramfs the {@code initramfs} field; null when absent
 * @param igvm the {@code igvm} field; null when absent
 * @param hostData the {@code host_data} field; null when absent
 */
public record PayloadConfig(
        String firmware,
        String kernel,
        String cmdline,
        String initramfs,
        String igvm,
        @Json(name = "host_data") String hostData) {

    /** A direct-kernel boot with a command line (may be null). */
    public static PayloadConfig ofKernel(String kernel, String cmdline) {
        Objects.requireNonNull(kernel, "kernel == null");
        return new PayloadConfig(null, kernel, cmdline, null, null, null);
    }
}
