package dev.virtualghost.ch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image's structure and descriptor, without a VMM (the real boots are in {@code PvhTestGuestRealChIT}). */
class PvhTestGuestTest {
    @TempDir
    Path dir;

    @Test
    void imageIsAnElf64WithTheXenPvhEntryNote() {
        byte[] image = PvhTestGuest.builder().serialLine("x").build().bytes();
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0x464c457f);
        assertThat(image[4]).as("ELFCLASS64").isEqualTo((byte) 2);
        assertThat(b.getShort(16)).as("ET_EXEC").isEqualTo((short) 2);
        assertThat(b.getShort(18)).as("EM_X86_64").isEqualTo((short) 62);
        int phnum = b.getShort(56);
        boolean load = false;
        int entry = -1;
        for (int i = 0; i < phnum; i++) {
            int p = 64 + 56 * i;
            if (b.getInt(p) == 1) {
                load = b.getLong(p + 24) == 0x100000L;
            } else if (b.getInt(p) == 4) {
                int off = (int) b.getLong(p + 8);
                assertThat(b.getInt(off)).as("namesz").isEqualTo(4);
                assertThat(b.getInt(off + 8)).as("XEN_ELFNOTE_PHYS32_ENTRY").isEqualTo(18);
                assertThat(new String(image, off + 12, 3)).isEqualTo("Xen");
                entry = b.getInt(off + 16);
            }
        }
        assertThat(load).as("PT_LOAD at 0x100000").isTrue();
        assertThat(entry).isEqualTo(0x100000);
    }

    @Test
    void descriptorRoundTrips() {
        PvhTestGuest guest = PvhTestGuest.builder()
                .serialLine("first")
                .serialLine("")
                .serialLine("ünïcode = 3")
                .mode(PvhTestGuest.Mode.POWER_OFF_AFTER_DELAY)
                .powerOffDelay(Duration.ofMillis(1234))
                .build();
        PvhTestGuest read =
                PvhTestGuest.read(guest.writeTo(dir.resolve("k.elf"))).orElseThrow();
        assertThat(read.lines()).containsExactly("first", "", "ünïcode = 3");
        assertThat(read.mode()).isEqualTo(PvhTestGuest.Mode.POWER_OFF_AFTER_DELAY);
        assertThat(read.powerOffDelay()).isEqualTo(Duration.ofMillis(1234));
        assertThat(read.serialOutput()).isEqualTo("first\n\nünïcode = 3\n");
        assertThat(read.bytes()).isEqualTo(guest.bytes());
    }

    @Test
    void otherFilesAreNotTestGuests() {
        assertThat(PvhTestGuest.parse(new byte[] {0x7f, 'E', 'L', 'F'})).isEmpty();
        assertThat(PvhTestGuest.parse("#!/bin/sh\n".getBytes())).isEmpty();
        byte[] image = PvhTestGuest.builder().build().bytes();
        assertThat(PvhTestGuest.parse(java.util.Arrays.copyOf(image, 200))).isEmpty();
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> PvhTestGuest.builder().serialLine("a\nb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("once per line");
        assertThatThrownBy(() -> PvhTestGuest.builder()
                        .powerOffDelay(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("POWER_OFF_AFTER_DELAY");
        assertThatThrownBy(() -> PvhTestGuest.builder().powerOffDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
