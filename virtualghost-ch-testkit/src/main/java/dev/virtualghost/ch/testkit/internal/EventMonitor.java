package dev.virtualghost.ch.testkit.internal;

import dev.virtualghost.ch.testkit.VmmEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes CH event-monitor records. Stands for CH's {@code event_monitor::event!}: a serde struct
 * {@code {timestamp: Duration (secs, nanos since VMM start), source, event, properties: Option<map>}}
 * written with {@code serde_json::to_string_pretty} (two-space indent) followed by a blank line.
 *
 * <p>Thread-safe (writes are synchronized); the owner closes the stream.
 */
public final class EventMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(EventMonitor.class);
    private final OutputStream out;
    private final long startNanos = System.nanoTime();
    private boolean vmmShutdownSent;
    private final List<VmmEvent> emitted = new ArrayList<>();

    public EventMonitor(OutputStream out) {
        this.out = out;
    }

    /** Writes one event; a failed write is logged and dropped, as CH ignores event write errors. */
    public synchronized void emit(String source, String event, Map<String, String> properties) {
        if ("vmm".equals(source) && "shutdown".equals(event)) {
            // The VMM shuts down once, whether through the API or a signal.
            if (vmmShutdownSent) {
                return;
            }
            vmmShutdownSent = true;
        }
        long elapsed = System.nanoTime() - startNanos;
        emitted.add(new VmmEvent(Duration.ofNanos(elapsed), source, event, properties));
        notifyAll();
        if (out == null) {
            return;
        }
        Map<String, Object> timestamp = new LinkedHashMap<>();
        timestamp.put("secs", elapsed / 1_000_000_000L);
        timestamp.put("nanos", elapsed % 1_000_000_000L);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("timestamp", timestamp);
        record.put("source", source);
        record.put("event", event);
        record.put("properties", properties == null || properties.isEmpty() ? null : new LinkedHashMap<>(properties));
        try {
            out.write((Json.write(record, "  ") + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            LOG.debug("event monitor write failed for {}/{}", source, event, e);
        }
    }

    /** Every event emitted so far, in order. */
    public synchronized List<VmmEvent> events() {
        return List.copyOf(emitted);
    }

    /** Waits for the first {@code event} from {@code source}, emitted before or during the wait. */
    public synchronized Optional<VmmEvent> await(String source, String event, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < emitted.size(); seen++) {
                if (emitted.get(seen).is(source, event)) {
                    return Optional.of(emitted.get(seen));
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Closes the underlying stream. */
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("event monitor close failed", e);
            }
        }
    }
}
