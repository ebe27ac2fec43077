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
    /**
     * Checks the event's fields and copies its properties.
     *
     * @param timestamp time since the VMM started, as CH stamps it
     * @param source where the event comes from, e.g. {@code "vm"}
     * @param event what happened, e.g. {@code "booted"}
     * @param properties extra key/value pairs; null becomes an empty map
     * @throws NullPointerException if {@code timestamp}, {@code source} or {@code event} is null
     */
    public ChEvent {
        Objects.requireNonNull(timestamp, "timestamp == null");
        Objects.requireNonNull(source, "source == null");
        Objects.requireNonNull(event, "event == null");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /**
     * Tells whether this is a given event from a given source, e.g. {@code is("vm", "booted")}.
     *
     * @param source the source to match, e.g. {@code "vm"}
     * @param event the event to match, e.g. {@code "booted"}
     * @return true when both {@code source} and {@code event} equal this record's
     */
    public boolean is(String source, String event) {
        return this.source.equals(source) && this.event.equals(event);
    }
}
