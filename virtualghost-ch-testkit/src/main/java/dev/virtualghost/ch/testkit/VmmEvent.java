package dev.virtualghost.ch.testkit;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One event of the simulated VMM, as CH's {@code --event-monitor} writes it: time since the VMM started, source
 * ({@code "vmm"} or {@code "vm"}), event name ({@code "booted"}, {@code "shutdown"}...) and properties.
 *
 * <p>Immutable and thread-safe.
 *
 * @param timestamp time since the VMM started
 * @param source {@code "vmm"} or {@code "vm"}
 * @param event the event name
 * @param properties the event's properties, empty when CH writes {@code null}
 */
public record VmmEvent(Duration timestamp, String source, String event, Map<String, String> properties) {
    /**
     * Copies the properties, so later changes to the argument do not show.
     *
     * @param timestamp time since the VMM started; not null
     * @param source {@code "vmm"} or {@code "vm"}; not null
     * @param event the event name; not null
     * @param properties the event's properties; null becomes an empty map, otherwise copied
     * @throws NullPointerException if {@code timestamp}, {@code source} or {@code event} is null
     */
    public VmmEvent {
        Objects.requireNonNull(timestamp, "timestamp == null");
        Objects.requireNonNull(source, "source == null");
        Objects.requireNonNull(event, "event == null");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /**
     * Whether this is {@code event} from {@code source}.
     *
     * @param source the expected source, e.g. {@code "vm"}
     * @param event the expected event name, e.g. {@code "booted"}
     * @return true if both match exactly (case-sensitive)
     */
    public boolean is(String source, String event) {
        return this.source.equals(source) && this.event.equals(event);
    }
}
