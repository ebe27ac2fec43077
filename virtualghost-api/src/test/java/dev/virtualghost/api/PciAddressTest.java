package dev.virtualghost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PciAddressTest {

    @Test
    void parsesCanonicalForm() {
        PciAddress a = PciAddress.parse("0000:01:00.1");
        assertThat(a).isEqualTo(new PciAddress(0, 1, 0, 1));
        assertThat(a.toString()).isEqualTo("0000:01:00.1");
    }

    @Test
    void parsesShortFormIntoDomainZero() {
        assertThat(PciAddress.parse("3b:1f.7")).isEqualTo(new PciAddress(0, 0x3b, 0x1f, 7));
    }

    @Test
    void normalisesUpperCaseAndWhitespace() {
        assertThat(PciAddress.parse(" 000A:C1:0D.3 \n").toString()).isEqualTo("000a:c1:0d.3");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "0000:01:00",
                "0000:01:00.8",
                "0000:01:20.0",
                "../../../etc",
                "0000:01:00.0/../x",
                "00000:01:00.0",
                "0000:1:00.0",
                "zz:00.0",
                "0000:01:00.0\n0000:02:00.0",
                "0000-01-00.0"
            })
    void rejectsAnythingElseWithAHint(String text) {
        assertThatThrownBy(() -> PciAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid PCI address")
                .hasMessageContaining("DDDD:BB:DD.F");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> PciAddress.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageDoesNotEchoControlCharacters() {
        assertThatThrownBy(() -> PciAddress.parse("\u001b[31mred")).hasMessageNotContaining("\u001b");
    }

    @Test
    void constructorChecksRanges() {
        assertThatThrownBy(() -> new PciAddress(0, 256, 0, 0)).hasMessageContaining("bus");
        assertThatThrownBy(() -> new PciAddress(0, 0, 32, 0)).hasMessageContaining("device");
        assertThatThrownBy(() -> new PciAddress(0, 0, 0, -1)).hasMessageContaining("function");
    }

    @Test
    void ordersBySegmentBusSlotFunction() {
        assertThat(PciAddress.parse("0000:02:00.0")).isGreaterThan(PciAddress.parse("0000:01:1f.7"));
        assertThat(PciAddress.parse("0001:00:00.0")).isGreaterThan(PciAddress.parse("0000:ff:1f.7"));
    }

    @Test
    void companionFunctionsShareTheSlot() {
        PciAddress gpu = PciAddress.parse("0000:01:00.0");
        assertThat(gpu.withFunction(1).sameSlot(gpu)).isTrue();
        assertThat(PciAddress.parse("0000:01:01.0").sameSlot(gpu)).isFalse();
        assertThat(PciAddress.isValid("0000:01:00.1")).isTrue();
        assertThat(PciAddress.isValid("x")).isFalse();
    }
}
