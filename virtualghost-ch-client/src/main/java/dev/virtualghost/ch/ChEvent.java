package dev.virtualghost.ch;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One record of CH's event monitor ({@code --event-monitor}), e.g. source {@code "vm"}, event
 * {@code "booted"}.
 *
 * @param timestamp time since the VMM started, as CH stamps it
 * @param source {@code "vmm"}, {@code "vm"}, {@code "guest"}, {@code "virtio-device"}...
 * @param event {@code "starting"}, {@code "booted"}, {@code "shutdown"}...
 * @param properties extra key/value pairs; empty when CH sent {@code null}
 */
public record ChEvent(Duration timestamp, String source, String event, Map<String, String> properties) {
  public ChEvent {
    Objects.requireNonNull(timestamp, "timestamp == null");
    Objects.requireNonNull(source, "source == null");
    Objects.requireNonNull(event, "event == null");
    properties = properties == null ? Map.of() : Map.copyOf(properties);
  }

  /** True when this is {@code event} from {@code source}, e.g. {@code is("vm", "booted")}. */
  public boolean is(String source, String event) {
    return this.source.equals(source) && this.event.equals(event);
  }
}
