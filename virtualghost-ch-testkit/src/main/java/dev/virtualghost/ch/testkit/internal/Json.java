package dev.virtualghost.ch.testkit.internal;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;

/**
 * Strict JSON tree reading and writing on top of Moshi's streaming API.
 *
 * <p>Numbers are kept exact (Long or BigDecimal) because CH's sizes are u64 and a Double would print
 * them as {@code 5.36870912E8}. Thread-safe (stateless).
 */
public final class Json {
    private Json() {}

    /** Parses one JSON document strictly; trailing data is an error, as for serde_json. */
    public static Object parse(String text) throws IOException {
        JsonReader reader = JsonReader.of(new Buffer().writeUtf8(text));
        reader.setLenient(false);
        Object value = read(reader);
        if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
            throw new IOException("trailing characters at " + reader.getPath());
        }
        return value;
    }

    private static Object read(JsonReader reader) throws IOException {
        switch (reader.peek()) {
            case BEGIN_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                reader.beginObject();
                while (reader.hasNext()) {
                    map.put(reader.nextName(), read(reader));
                }
                reader.endObject();
                return map;
            }
            case BEGIN_ARRAY: {
                List<Object> list = new ArrayList<>();
                reader.beginArray();
                while (reader.hasNext()) {
                    list.add(read(reader));
                }
                reader.endArray();
                return list;
            }
            case STRING:
                return reader.nextString();
            case NUMBER: {
                String raw = reader.nextString();
                try {
                    return Long.parseLong(raw);
                } catch (NumberFormatException notLong) {
                    return new BigDecimal(raw);
                }
            }
            case BOOLEAN:
                return reader.nextBoolean();
            case NULL:
                return reader.nextNull();
            default:
                throw new IOException("unexpected " + reader.peek() + " at " + reader.getPath());
        }
    }

    /** Writes a tree of maps, lists, strings, numbers, booleans and nulls; {@code indent} "" for compact. */
    public static String write(Object value, String indent) {
        Buffer buffer = new Buffer();
        try (JsonWriter writer = JsonWriter.of(buffer)) {
            writer.setIndent(indent);
            writer.setSerializeNulls(true);
            write(writer, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.readUtf8();
    }

    /** Compact form, as CH's HTTP responses. */
    public static String write(Object value) {
        return write(value, "");
    }

    private static void write(JsonWriter writer, Object value) throws IOException {
        if (value == null) {
            writer.nullValue();
        } else if (value instanceof Map<?, ?> map) {
            writer.beginObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                writer.name(String.valueOf(e.getKey()));
                write(writer, e.getValue());
            }
            writer.endObject();
        } else if (value instanceof List<?> list) {
            writer.beginArray();
            for (Object item : list) {
                write(writer, item);
            }
            writer.endArray();
        } else if (value instanceof String s) {
            writer.value(s);
        } else if (value instanceof Boolean b) {
            writer.value(b);
        } else if (value instanceof Number n) {
            writer.value(n);
        } else {
            writer.value(value.toString());
        }
    }

    /** The object at {@code key} of a JSON object, or null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object parent, String key) {
        if (parent instanceof Map<?, ?> map && map.get(key) instanceof Map<?, ?> child) {
            return (Map<String, Object>) child;
        }
        return null;
    }

    /** The string at {@code key}, or null. */
    public static String string(Object parent, String key) {
        if (parent instanceof Map<?, ?> map && map.get(key) instanceof String s) {
            return s;
        }
        return null;
    }

    /** The integral number at {@code key}, or null. */
    public static Long number(Object parent, String key) {
        if (parent instanceof Map<?, ?> map && map.get(key) instanceof Number n) {
            return n.longValue();
        }
        return null;
    }
}
