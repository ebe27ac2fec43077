package dev.virtualghost.ch.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads the ELF64 PVH image behind {@code PvhTestGuest}: an ELF header, one {@code PT_LOAD} of 32-bit
 * code and data at physical 0x100000, a {@code PT_NOTE} with the Xen {@code XEN_ELFNOTE_PHYS32_ENTRY} note (type
 * 18, descriptor = the 32-bit entry address) followed, in the same {@code PT_NOTE}, by the VirtualGhost descriptor
 * note (type 1, UTF-8 {@code key=value} lines: {@code mode}, {@code delay_ms}, {@code serial} in Base64).
 *
 * <p>The code, in 32-bit protected mode (paging off, flat segments, as PVH enters):
 * <pre>
 *   cli; cld
 *   mov esi, text; mov ecx, length; mov edx, 0x3f8
 *   jecxz done
 * next: lodsb; out dx, al; dec ecx; jnz next        ; every byte to COM1's transmit register
 * done:
 *   POWER_OFF:             mov edx, 0x600; mov al, 0x34; out dx, al  ; ACPI S5 (SLP_TYP=5 | SLP_EN)
 *   POWER_OFF_AFTER_DELAY: mov eax, 0x40000010; cpuid                 ; EAX = TSC kHz
 *                          mov ebx, delay_ms; mul ebx                 ; EDX:EAX = ticks to wait
 *                          mov esi, eax; mov edi, edx; rdtsc; add esi, eax; adc edi, edx
 *                   wait:  pause; rdtsc; cmp edx, edi; jb wait; ja off; cmp eax, esi; jb wait
 *                   off:   (as POWER_OFF)
 *   CRASH:                 lidt [zero_idtr]; int3                       ; no gate for #BP, #GP, #DF: triple fault
 *   all:            halt:  hlt; jmp halt
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PvhImage {
    /** The most serial bytes an image carries. */
    public static final int MAX_SERIAL = 64 * 1024;
    /** Images larger than this are never ours (the reader does not look at them). */
    public static final long MAX_IMAGE = 1L << 20;

    private static final long LOAD_ADDRESS = 0x100000L;
    private static final int CODE_ALIGN = 0x1000;
    private static final int PT_LOAD = 1;
    private static final int PT_NOTE = 4;
    private static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
    private static final int DESCRIPTOR_TYPE = 1;
    private static final String OWNER = "VirtualGhost";
    private static final String MAGIC = "virtualghost-pvh-test-guest 1";

    /** What the descriptor note says. */
    public record Descriptor(String mode, long delayMillis, List<String> lines) {}

    private PvhImage() {}

    /** The image for a guest printing {@code serial} then acting by {@code mode} (a PvhTestGuest.Mode name). */
    public static byte[] build(byte[] serial, String mode, long delayMillis) {
        byte[] code = code(serial, mode, delayMillis);
        byte[] xenNote = note("Xen", XEN_ELFNOTE_PHYS32_ENTRY, le32((int) LOAD_ADDRESS));
        String desc = MAGIC + "\nmode=" + mode + "\ndelay_ms=" + delayMillis + "\nserial="
                + Base64.getEncoder().encodeToString(serial) + "\n";
        byte[] vgNote = note(OWNER, DESCRIPTOR_TYPE, desc.getBytes(StandardCharsets.UTF_8));
        // One PT_NOTE holding the Xen note, then ours: linux-loader (CH's ELF loader) keeps the PVH entry of the
        // LAST PT_NOTE segment it parses, so the Xen note must not sit in a segment of its own before another.
        int phnum = 2;
        int notesOff = 64 + 56 * phnum;
        int notesLen = xenNote.length + vgNote.length;
        int codeOff = align(notesOff + notesLen, CODE_ALIGN);
        ByteBuffer b = ByteBuffer.allocate(codeOff + code.length).order(ByteOrder.LITTLE_ENDIAN);
        // ELF header: 64-bit, little endian, version 1, System V ABI, EXEC, x86-64.
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 2).putShort((short) 62).putInt(1);
        b.putLong(LOAD_ADDRESS).putLong(64).putLong(0);
        b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) phnum);
        b.putShort((short) 64).putShort((short) 0).putShort((short) 0);
        // PT_LOAD: the code, readable, writable and executable, at physical 0x100000.
        phdr(b, PT_LOAD, 7, codeOff, LOAD_ADDRESS, code.length, CODE_ALIGN);
        phdr(b, PT_NOTE, 4, notesOff, 0, notesLen, 4);
        b.put(notesOff, xenNote);
        b.put(notesOff + xenNote.length, vgNote);
        b.put(codeOff, code);
        return b.array();
    }

    /** The descriptor of an image {@link #build} wrote; empty for any other file. */
    public static Optional<Descriptor> readDescriptor(byte[] image) {
        try {
            ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
            if (image.length < 64 || b.getInt(0) != 0x464c457f || image[4] != 2) {
                return Optional.empty();
            }
            long phoff = b.getLong(32);
            int phentsize = Short.toUnsignedInt(b.getShort(54));
            int phnum = Short.toUnsignedInt(b.getShort(56));
            for (int i = 0; i < phnum; i++) {
                int p = Math.toIntExact(phoff + (long) i * phentsize);
                if (b.getInt(p) != PT_NOTE) {
                    continue;
                }
                int off = Math.toIntExact(b.getLong(p + 8));
                int end = Math.toIntExact(off + b.getLong(p + 32));
                while (off + 12 <= end) {
                    int namesz = b.getInt(off);
                    int descsz = b.getInt(off + 4);
                    int type = b.getInt(off + 8);
                    int nameAt = off + 12;
                    int descAt = nameAt + align(namesz, 4);
                    String name = new String(image, nameAt, Math.max(0, namesz - 1), StandardCharsets.US_ASCII);
                    if (OWNER.equals(name) && type == DESCRIPTOR_TYPE) {
                        return parse(new String(image, descAt, descsz, StandardCharsets.UTF_8));
                    }
                    off = descAt + align(descsz, 4);
                }
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            // Truncated or foreign ELF: not one of ours.
            return Optional.empty();
        }
    }

    private static Optional<Descriptor> parse(String desc) {
        String[] fields = desc.split("\n");
        if (fields.length < 4 || !MAGIC.equals(fields[0])) {
            return Optional.empty();
        }
        String mode = null;
        long delay = 0;
        String serial = null;
        for (String f : fields) {
            if (f.startsWith("mode=")) {
                mode = f.substring(5);
            } else if (f.startsWith("delay_ms=")) {
                delay = Long.parseLong(f.substring(9));
            } else if (f.startsWith("serial=")) {
                serial = new String(Base64.getDecoder().decode(f.substring(7)), StandardCharsets.UTF_8);
            }
        }
        if (mode == null || serial == null) {
            return Optional.empty();
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int nl = serial.indexOf('\n'); nl >= 0; nl = serial.indexOf('\n', start)) {
            lines.add(serial.substring(start, nl));
            start = nl + 1;
        }
        return Optional.of(new Descriptor(mode, delay, lines));
    }

    private static byte[] code(byte[] serial, String mode, long delayMillis) {
        Asm a = new Asm(LOAD_ADDRESS);
        a.op(0xFA).op(0xFC); // cli; cld
        int textFixup = a.op(0xBE).imm32Placeholder(); // mov esi, text
        a.op(0xB9).imm32(serial.length); // mov ecx, length
        a.op(0xBA).imm32(0x3f8); // mov edx, 0x3f8
        a.op(0xE3).op(0x05); // jecxz done (+5)
        a.op(0xAC).op(0xEE).op(0x49).op(0x75).op(0xFB); // next: lodsb; out dx, al; dec ecx; jnz next
        int idtrFixup = -1;
        switch (mode) {
            case "POWER_OFF_AFTER_DELAY":
                a.op(0xB8).imm32(0x40000010).op(0x0F).op(0xA2); // mov eax, 0x40000010; cpuid
                a.op(0xBB).imm32((int) delayMillis).op(0xF7).op(0xE3); // mov ebx, delay_ms; mul ebx
                a.op(0x89).op(0xC6).op(0x89).op(0xD7); // mov esi, eax; mov edi, edx
                a.op(0x0F).op(0x31).op(0x01).op(0xC6).op(0x11).op(0xD7); // rdtsc; add esi, eax; adc edi, edx
                // wait: pause; rdtsc; cmp edx, edi; jb wait; ja off; cmp eax, esi; jb wait
                a.op(0xF3)
                        .op(0x90)
                        .op(0x0F)
                        .op(0x31)
                        .op(0x39)
                        .op(0xFA)
                        .op(0x72)
                        .op(0xF8)
                        .op(0x77)
                        .op(0x04)
                        .op(0x39)
                        .op(0xF0)
                        .op(0x72)
                        .op(0xF2);
                powerOff(a);
                break;
            case "POWER_OFF":
                powerOff(a);
                break;
            case "CRASH":
                idtrFixup = a.op(0x0F).op(0x01).op(0x1D).imm32Placeholder(); // lidt [zero_idtr]
                a.op(0xCC); // int3
                break;
            case "HALT":
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
        a.op(0xF4).op(0xEB).op(0xFD); // halt: hlt; jmp halt
        if (idtrFixup >= 0) {
            a.align(8);
            a.fixup(idtrFixup);
            a.bytes(new byte[8]); // limit 0, base 0
        }
        a.fixup(textFixup);
        a.bytes(serial);
        return a.toByteArray();
    }

    private static void powerOff(Asm a) {
        a.op(0xBA).imm32(0x600).op(0xB0).op(0x34).op(0xEE); // mov edx, 0x600; mov al, 0x34; out dx, al
    }

    private static void phdr(ByteBuffer b, int type, int flags, long offset, long addr, long size, long align) {
        b.putInt(type)
                .putInt(flags)
                .putLong(offset)
                .putLong(addr)
                .putLong(addr)
                .putLong(size)
                .putLong(size)
                .putLong(align);
    }

    private static byte[] note(String owner, int type, byte[] desc) {
        byte[] name = (owner + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(12 + align(name.length, 4) + align(desc.length, 4))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(name.length).putInt(desc.length).putInt(type);
        b.put(name).position(12 + align(name.length, 4));
        b.put(desc);
        return b.array();
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static int align(int n, int to) {
        return (n + to - 1) / to * to;
    }

    /** A byte emitter with absolute 32-bit address fix-ups. */
    private static final class Asm {
        private final long base;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Asm(long base) {
            this.base = base;
        }

        Asm op(int b) {
            out.write(b);
            return this;
        }

        Asm imm32(int v) {
            out.writeBytes(le32(v));
            return this;
        }

        /** Reserves an imm32 and returns its offset. */
        int imm32Placeholder() {
            int at = out.size();
            imm32(0);
            return at;
        }

        /** Patches the imm32 at {@code at} with the current address. */
        void fixup(int at) {
            byte[] current = out.toByteArray();
            ByteBuffer.wrap(current).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) (base + current.length));
            out.reset();
            out.writeBytes(current);
        }

        void align(int to) {
            while (out.size() % to != 0) {
                out.write(0);
            }
        }

        void bytes(byte[] b) {
            out.writeBytes(b);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
