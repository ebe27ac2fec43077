package dev.virtualghost.ch.internal;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import dev.virtualghost.ch.model.VmState;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okio.Buffer;

/**
 * The one Moshi instance of the client, with adapters looked up once per type and cached (Moshi's own lookup
 * costs a lock and a map walk per call). Moshi omits null record components when writing, so absent optional
 * fields stay absent, and skips unknown JSON keys when reading. Thread-safe.
 */
public final class JsonCodec {

    /** The shared codec. */
    public static final JsonCodec INSTANCE = new JsonCodec();

    static final Type STRING_LIST = Types.newParameterizedType(List.class, String.class);
    static final Type COUNTERS = Types.newParameterizedType(
            Map.class, String.class, Types.newParameterizedType(Map.class, String.class, Long.class));

    private final Moshi moshi =
            new Moshi.Builder().add(VmState.class, new VmStateAdapter()).build();

    /** CH's state names, tolerating new ones ({@link VmState#parse}); {@code UNKNOWN} is written as null. */
    private static final class VmStateAdapter extends JsonAdapter<VmState> {
        @Override
        public VmState fromJson(JsonReader reader) throws IOException {
            if (reader.peek() == JsonReader.Token.NULL) {
                return reader.nextNull();
            }
            return VmState.parse(reader.nextString());
        }

        @Override
        public void toJson(JsonWriter writer, VmState value) throws IOException {
            writer.value(value == null ? null : value.wireName());
        }
    }

    private final Map<Type, JsonAdapter<Object>> adapters = new ConcurrentHashMap<>();

    private JsonCodec() {}

    @SuppressWarnings("unchecked")
    private JsonAdapter<Object> adapter(Type type) {
        return adapters.computeIfAbsent(type, t -> (JsonAdapter<Object>) moshi.adapter(t));
    }

    /** Serialises a value to UTF-8 JSON bytes. */
    public byte[] write(Object value) {
        Buffer buffer = new Buffer();
        try {
            adapter(value.getClass()).toJson(buffer, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON to memory", e);
        }
        return buffer.readByteArray();
    }

    /** Serialises a value to a JSON string (for logs and tests). */
    public String writeString(Object value) {
        return new String(write(value), StandardCharsets.UTF_8);
    }

    /**
     * Parses JSON bytes.
     *
     * @throws IOException (including {@link com.squareup.moshi.JsonDataException}) on malformed or mistyped JSON
     */
    @SuppressWarnings("unchecked")
    public <T> T read(byte[] json, Type type) throws IOException {
        Object value = adapter(type).fromJson(new Buffer().write(json));
        if (value == null) {
            throw new IOException("JSON body is null");
        }
        return (T) value;
    }

    /** Parses a JSON string, for tests and tools. */
    public <T> T read(String json, Type type) throws IOException {
        return read(json.getBytes(StandardCharsets.UTF_8), type);
    }
}
