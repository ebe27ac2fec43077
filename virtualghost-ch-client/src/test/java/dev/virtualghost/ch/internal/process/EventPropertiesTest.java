package dev.virtualghost.ch.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.moshi.JsonReader;
import dev.virtualghost.ch.ChEvent;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** Event properties keep CH's text: integral numbers without a ".0", fractions and strings as sent. */
class EventPropertiesTest {

    private static ChEvent parse(String json) throws Exception {
        return EventStreamReader.parse(JsonReader.of(new Buffer().writeUtf8(json)));
    }

    @Test
    void integralNumbersHaveNoFractionDigits() throws Exception {
        ChEvent e =
                parse("{\"timestamp\":{\"secs\":1,\"nanos\":5},\"source\":\"virtio-device\",\"event\":\"activated\","
                        + "\"properties\":{\"id\":\"_disk0\",\"queue\":1,\"big\":9007199254740991,\"neg\":-3,\"ratio\":0.5,"
                        + "\"flag\":true,\"nested\":{\"n\":2,\"l\":[1,2.5]}}}");
        assertThat(e.properties())
                .containsEntry("id", "_disk0")
                .containsEntry("queue", "1")
                .containsEntry("big", "9007199254740991")
                .containsEntry("neg", "-3")
                .containsEntry("ratio", "0.5")
                .containsEntry("flag", "true")
                .containsEntry("nested", "{n=2, l=[1, 2.5]}");
    }
}
