package dev.virtualghost.launcher.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny PVH guest kernel for the real cloud-hypervisor: an ELF64 with a {@code XEN_ELFNOTE_PHYS32_ENTRY} note,
 * entered in 32-bit protected mode, that writes its text to the serial port 0x3f8 and then either powers off
 * through CH's ACPI shutdown port 0x600 ({@code 0x34} = SLP_TYP 5 | SLP_EN) or halts forever with interrupts off
 * (an idle guest that ignores the power button). This is the guest ../shared/ch/README.md describes; it stands in
 * for the testkit's {@code PvhTestGuest} until that lands on this branch.
 */
public final class TinyPvhGuest {
    private static final int BASE = 0x100000;
    private static final int CODE = 0x100;
    private static final int TEXT = 0x200;

    private TinyPvhGuest() {
    }

    /** A guest that prints {@code text} and powers off (or, with {@code powerOff} false, halts forever). */
    public static byte[] bytes(String text, boolean powerOff) {
        byte[] msg = (text + "\0").getBytes(StandardCharsets.US_ASCII);
        int size = TEXT + msg.length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        // ELF header
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
        b.putShort((short) 2).putShort((short) 0x3e).putInt(1);
        b.putLong(BASE + CODE).putLong(64).putLong(0);
        b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 2).putShort((short) 64)
                .putShort((short) 0).putShort((short) 0);
        // PT_LOAD: the whole file at physical 1 MiB, RWX
        b.putInt(1).putInt(7).putLong(0).putLong(BASE).putLong(BASE).putLong(size).putLong(size).putLong(0x1000);
        // PT_NOTE at 176: one note, owner "Xen", type 18, the 32-bit entry
        b.putInt(4).putInt(5).putLong(176).putLong(BASE + 176).putLong(BASE + 176).putLong(20).putLong(20)
                .putLong(4);
        b.putInt(4).putInt(4).putInt(18).put("Xen\0".getBytes(StandardCharsets.US_ASCII)).putInt(BASE + CODE);
        b.position(CODE);
        b.put((byte) 0xBE).putInt(BASE + TEXT);                 // mov esi, text
        b.put(new byte[] {0x66, (byte) 0xBA, (byte) 0xF8, 0x03}); // mov dx, 0x3f8
        b.put(new byte[] {(byte) 0xAC, (byte) 0x84, (byte) 0xC0, 0x74, 0x03, (byte) 0xEE, (byte) 0xEB,
            (byte) 0xF8});                                       // lodsb; test al,al; jz +3; out dx,al; jmp -8
        if (powerOff) {
            b.put(new byte[] {0x66, (byte) 0xBA, 0x00, 0x06});  // mov dx, 0x600
            b.put(new byte[] {(byte) 0xB0, 0x34, (byte) 0xEE}); // mov al, 0x34; out dx, al
        }
        b.put(new byte[] {(byte) 0xFA, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD}); // cli; hlt; jmp -3
        b.position(TEXT);
        b.put(msg);
        return b.array();
    }

    /** Writes the guest to {@code file} and returns it. */
    public static Path writeTo(Path file, String text, boolean powerOff) throws IOException {
        Files.write(file, bytes(text, powerOff));
        return file;
    }
}
