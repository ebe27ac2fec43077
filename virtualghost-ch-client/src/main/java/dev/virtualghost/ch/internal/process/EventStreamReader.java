package dev.virtualghost.ch.internal.process;

import com.squareup.moshi.JsonReader;
import dev.virtualghost.ch.ChEvent;
import dev.virtualghost.ch.ChEventListener;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import okio.BufferedSource;
import okio.Okio;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses CH's event-monitor stream, concatenated pretty-printed JSON objects separated by blank lines (CH
 * writes {@code serde_json::to_string_pretty(&event)} then {@code "\n\n"}), and hands each to a listener on
 * one daemon thread. Moshi's reader in lenient mode accepts several top-level values in a row.
 *
 * <p>Thread-safe: {@link #start} once, {@link #stop} from any thread.
 */
public final class EventStreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamReader.class);
    private final InputStream in;
    private final ChEventListener listener;
    private final Thread thread;
    private final Runnable onEnd;

    /** A reader handing events to {@code listener} on a daemon thread named {@code name}. */
    public EventStreamReader(InputStream in, ChEventListener listener, String name) {
        this(in, listener, name, () -> {});
    }

    /** As above; {@code onEnd} runs on the reader thread once the stream ended (normally or not). */
    public EventStreamReader(InputStream in, ChEventListener listener, String name, Runnable onEnd) {
        this.in = in;
        this.listener = listener;
        this.onEnd = onEnd;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Waits for the thread to end (its stream reached its end), interrupting it at the deadline. */
    public void join(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(Math.max(1, timeout.toMillis()));
        }
    }

    private void run() {
        try {
            readAll();
        } finally {
            onEnd.run();
        }
    }

    private void readAll() {
        try (BufferedSource source = Okio.buffer(Okio.source(in));
                JsonReader reader = JsonReader.of(source)) {
            reader.setLenient(true);
            // exhausted() first: Moshi's peek() calls an empty stream (a VMM that died before its first event) an
            // error.
            while (!source.exhausted() && reader.peek() != JsonReader.Token.END_DOCUMENT) {
                ChEvent event = parse(reader);
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("CH event listener failed on {}/{}", event.source(), event.event(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                LOG.warn("CH event stream ended with an error; later events are lost", e);
            }
        }
    }

    /** Reads one event object; unknown keys are skipped because CH versions drift. */
    static ChEvent parse(JsonReader reader) throws IOException {
        Duration timestamp = Duration.ZERO;
        String source = "";
        String event = "";
        Map<String, String> properties = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            if (reader.peek() == JsonReader.Token.NULL) {
                reader.nextNull();
                continue;
            }
            switch (name) {
                case "timestamp":
                    timestamp = timestamp(reader);
                    break;
                case "source":
                    source = reader.nextString();
                    break;
                case "event":
                    event = reader.nextString();
                    break;
                case "properties":
                    reader.beginObject();
                    while (reader.hasNext()) {
                        String key = reader.nextName();
                        Object value = reader.readJsonValue();
                        properties.put(key, render(value));
                    }
                    reader.endObject();
                    break;
                default:
                    reader.skipValue();
            }
        }
        reader.endObject();
        return new ChEvent(timestamp, source, event, properties);
    }

    /**
     * A property value as text. Moshi reads every JSON number as a double, so integral ones are written without the
     * {@code ".0"} CH never sent (a device id 1 stays "1"); nested objects and arrays render the same way inside.
     */
    static String render(Object value) {
        return String.valueOf(integral(value));
    }

    private static Object integral(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return d.longValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, integral(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(EventStreamReader::integral).collect(Collectors.toList());
        }
        return value;
    }

    private static Duration timestamp(JsonReader reader) throws IOException {
        long secs = 0;
        long nanos = 0;
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            if (name.equals("secs")) {
                secs = reader.nextLong();
            } else if (name.equals("nanos")) {
                nanos = reader.nextLong();
            } else {
                reader.skipValue();
            }
        }
        reader.endObject();
        return Duration.ofSeconds(secs, nanos);
    }
}
