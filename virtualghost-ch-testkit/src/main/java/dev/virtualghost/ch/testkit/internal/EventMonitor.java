package dev.virtualghost.ch.testkit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
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

  public EventMonitor(OutputStream out) {
    this.out = out;
  }

  /** Writes one event; a failed write is logged and dropped, as CH ignores event write errors. */
  public synchronized void emit(String source, String event, Map<String, String> properties) {
    if (out == null) {
      return;
    }
    if ("vmm".equals(source) && "shutdown".equals(event)) {
      // The VMM shuts down once, whether through the API or a signal.
      if (vmmShutdownSent) {
        return;
      }
      vmmShutdownSent = true;
    }
    long elapsed = System.nanoTime() - startNanos;
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
