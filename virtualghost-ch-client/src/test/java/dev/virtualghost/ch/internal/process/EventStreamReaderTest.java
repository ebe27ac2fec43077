package dev.virtualghost.ch.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualghost.ch.ChEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * ChProcess's event parser on text shaped like CH's event monitor output ({@code event_monitor/src/lib.rs}:
 * serde_json pretty-printed {@code Event {timestamp: Duration, source, event, properties: Option<HashMap>}}
 * records, each followed by a blank line).
 */
class EventStreamReaderTest {
    private static final String STREAM = "{\n  \"timestamp\": {\n    \"secs\": 0,\n    \"nanos\": 1500\n  },\n"
            + "  \"source\": \"vmm\",\n  \"event\": \"starting\",\n  \"properties\": null\n}\n\n"
            + "{\n  \"timestamp\": {\n    \"secs\": 2,\n    \"nanos\": 5\n  },\n  \"source\": \"cpu_manager\",\n"
            + "  \"event\": \"create_vcpu\",\n  \"properties\": {\n    \"id\": \"0\"\n  },\n  \"future_field\": [1, 2]\n}\n\n"
            + "{\n  \"timestamp\": {\n    \"secs\": 3,\n    \"nanos\": 0\n  },\n  \"source\": \"vm\",\n"
            + "  \"event\": \"booted\",\n  \"properties\": null\n}\n\n";

    @Test
    void parsesConcatenatedPrettyObjectsAndSurvivesAThrowingListener() throws Exception {
        List<ChEvent> events = new CopyOnWriteArrayList<>();
        EventStreamReader reader = new EventStreamReader(
                new ByteArrayInputStream(STREAM.getBytes(StandardCharsets.UTF_8)),
                e -> {
                    events.add(e);
                    if (e.is("vmm", "starting")) {
                        throw new IllegalStateException("listener bug");
                    }
                },
                "test-events");
        reader.start();
        reader.join(Duration.ofSeconds(5));
        assertThat(events)
                .containsExactly(
                        new ChEvent(Duration.ofNanos(1500), "vmm", "starting", Map.of()),
                        new ChEvent(Duration.ofSeconds(2, 5), "cpu_manager", "create_vcpu", Map.of("id", "0")),
                        new ChEvent(Duration.ofSeconds(3), "vm", "booted", Map.of()));
    }
}
