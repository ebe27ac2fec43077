package dev.virtualghost.ch;

import dev.virtualghost.ch.internal.JsonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Cloud Hypervisor's JSON for the model records of {@code dev.virtualghost.ch.model}: the exact bodies this client
 * sends ({@code vm.create}'s {@code VmConfig}, ...) and reads ({@code VmInfo}, ...). Use it to show a request before
 * sending it ({@code run --dry-run}), store a configuration, or read one CH or {@code ch-remote} wrote.
 *
 * <pre>{@code
 * String body = ChJson.toJson(vmConfig);               // {"cpus":{"boot_vcpus":2,...},"payload":{...}}
 * VmConfig back = ChJson.fromJson(body, VmConfig.class);
 * }</pre>
 *
 * <p>Names are CH's snake_case; components that are null are left out, so absent optional fields stay absent and
 * CH applies its defaults; unknown keys are skipped when reading, so newer CH versions can be read. Thread-safe.
 */
public final class ChJson {
    private ChJson() {}

    /**
     * Renders {@code record} as CH's JSON.
     *
     * @param record a model record, e.g. a {@link dev.virtualghost.ch.model.VmConfig}
     * @return the JSON text, on one line
     * @throws IllegalArgumentException if {@code record} is not a type the model can render
     */
    public static String toJson(Object record) {
        Objects.requireNonNull(record, "record");
        try {
            return JsonCodec.INSTANCE.writeString(record);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot render " + record.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads CH's JSON into a model record.
     *
     * @param json the JSON text
     * @param type the record type, e.g. {@code VmConfig.class}
     * @param <T> the record type
     * @return the record
     * @throws ChProtocolException if the text is not JSON, is {@code null}, or does not fit {@code type}
     */
    public static <T> T fromJson(String json, Class<T> type) {
        Objects.requireNonNull(json, "json");
        return fromJson(json.getBytes(StandardCharsets.UTF_8), type);
    }

    /**
     * Reads CH's JSON, as UTF-8 bytes (an HTTP body as it arrives), into a model record.
     *
     * @param json the JSON as UTF-8 bytes
     * @param type the record type, e.g. {@code VmInfo.class}
     * @param <T> the record type
     * @return the record
     * @throws ChProtocolException if the bytes are not JSON, are {@code null}, or do not fit {@code type}
     */
    public static <T> T fromJson(byte[] json, Class<T> type) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(type, "type");
        try {
            return JsonCodec.INSTANCE.read(json, type);
        } catch (IOException | RuntimeException e) {
            throw new ChProtocolException("not a " + type.getSimpleName() + " in CH's JSON: " + e.getMessage(), e);
        }
    }
}
