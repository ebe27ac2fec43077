package dev.virtualghost.ch.testkit;

import dev.virtualghost.ch.testkit.internal.PvhImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A tiny guest kernel that a real {@code cloud-hypervisor} boots with no toolchain and no Linux: a PVH ELF64
 * image written in pure Java. It prints chosen lines on the legacy serial port, then powers off, powers off after
 * a delay, halts forever, or crashes, by {@link Mode}. Give it to CH as the kernel
 * ({@code PayloadConfig.ofKernel(guest.writeTo(file).toString(), null)} or {@code --kernel file}) with a
 * {@code serial} of mode File (or {@code --serial file=...}) to read what it prints.
 *
 * <pre>{@code
 * Path kernel = PvhTestGuest.builder().serialLine("hello from the guest").mode(PvhTestGuest.Mode.POWER_OFF)
 *     .build().writeTo(dir.resolve("guest.elf"));
 * }</pre>
 *
 * <p>The ABI it relies on:
 * <ul>
 *   <li>PVH boot (Xen's x86 PVH boot protocol, {@code docs/misc/pvh.pandoc} in Xen; Linux's
 *       {@code arch/x86/platform/pvh}): an ELF64 {@code EXEC} file whose {@code PT_NOTE} holds a note of owner
 *       {@code "Xen"}, type 18 ({@code XEN_ELFNOTE_PHYS32_ENTRY}) with the 32-bit physical entry address. CH
 *       loads each {@code PT_LOAD} at its physical address (here one, at 0x100000) and enters in 32-bit
 *       protected mode, paging off, flat segments.</li>
 *   <li>Serial: the 16550 UART at I/O port {@code 0x3f8} (COM1) that CH emulates; each byte written to the
 *       transmit register goes to the VM's serial output ({@code serial} file). CH's UART reports its transmitter
 *       always empty, so the guest writes without polling the line status register.</li>
 *   <li>Power-off: CH's ACPI shutdown device at I/O port {@code 0x600} ({@code AcpiShutdownDevice}): writing
 *       {@code 0x34} (SLP_TYP=5, the S5 soft-off value, in bits 2-4, and SLP_EN, bit 5) powers the VM off; the
 *       VMM then emits {@code vm shutdown}, {@code vm deleted}, {@code vmm shutdown} and exits 0 (unless
 *       {@code --no-shutdown}).</li>
 * </ul>
 *
 * <p>The image also carries a descriptor note (owner {@value #NOTE_OWNER}) with the lines, mode and delay, which
 * {@link FakeCloudHypervisor} reads at {@code vm.boot} so that it plays exactly the same guest. {@link #read(Path)}
 * reads it back.
 *
 * <p>Immutable and thread-safe.
 */
public final class PvhTestGuest {
    /** The owner name of the descriptor ELF note. */
    public static final String NOTE_OWNER = "VirtualGhost";

    /** What the guest does once it has printed its lines. */
    public enum Mode {
        /** Powers off at once through CH's ACPI shutdown port (0x600 = 0x34); the VMM exits 0. */
        POWER_OFF,
        /**
         * Waits {@link Builder#powerOffDelay(Duration)} then powers off as {@link #POWER_OFF}. The wait is a busy
         * {@code rdtsc} loop (one host CPU busy meanwhile) whose length comes from the TSC frequency CH gives the
         * guest in CPUID leaf {@code 0x40000010} (EAX, kHz: the hypervisor timing leaf).
         */
        POWER_OFF_AFTER_DELAY,
        /** Stays running in a {@code cli; hlt} loop: the VM is {@code Running} until the API stops it. */
        HALT,
        /**
         * Triple faults: loads an IDT of limit 0 then raises {@code int3}; the #GP and #DF that follow find no
         * gate either, so the CPU shuts down. KVM reports it as {@code KVM_EXIT_SHUTDOWN}, which CH treats as a
         * reset request: the VM reboots (event {@code vm reboot}), runs the guest again, and so on, so the lines
         * appear again and again while the VMM keeps running. See {@code docs/ch-contract.md} for what was
         * measured.
         */
        CRASH
    }

    private final List<String> lines;
    private final Mode mode;
    private final Duration powerOffDelay;
    private final byte[] image;

    private PvhTestGuest(List<String> lines, Mode mode, Duration powerOffDelay) {
        this.lines = List.copyOf(lines);
        this.mode = mode;
        this.powerOffDelay = powerOffDelay;
        this.image = PvhImage.build(serialBytes(), mode.name(), powerOffDelay.toMillis());
    }

    /**
     * A new builder (no lines, {@link Mode#POWER_OFF}).
     *
     * @return a builder with no lines, mode {@link Mode#POWER_OFF} and no delay
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The guest a kernel file describes, when it is an image this class wrote.
     *
     * @param kernel the kernel file to inspect
     * @return the guest, or empty when the file is larger than any image this class writes or carries no
     *     {@value #NOTE_OWNER} descriptor note
     * @throws UncheckedIOException if the file cannot be read
     */
    public static Optional<PvhTestGuest> read(Path kernel) {
        try {
            long size = Files.size(kernel);
            if (size > PvhImage.MAX_IMAGE) {
                return Optional.empty();
            }
            return parse(Files.readAllBytes(kernel));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel " + kernel + ": " + e, e);
        }
    }

    /**
     * The guest an image describes, when it is an image this class wrote.
     *
     * @param image the bytes of a kernel image; not changed
     * @return the guest, or empty when the image carries no {@value #NOTE_OWNER} descriptor note
     */
    public static Optional<PvhTestGuest> parse(byte[] image) {
        return PvhImage.readDescriptor(image).map(d -> {
            Builder b = builder().mode(Mode.valueOf(d.mode())).powerOffDelay(Duration.ofMillis(d.delayMillis()));
            d.lines().forEach(b::serialLine);
            return b.build();
        });
    }

    /**
     * The lines the guest prints, in order.
     *
     * @return an unmodifiable list, without line breaks
     */
    public List<String> lines() {
        return lines;
    }

    /**
     * What the guest does after printing.
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The wait before power-off ({@link Mode#POWER_OFF_AFTER_DELAY}), zero for the other modes.
     *
     * @return the delay (millisecond resolution, at most one hour)
     */
    public Duration powerOffDelay() {
        return powerOffDelay;
    }

    /**
     * Exactly what the guest writes to the serial port at each boot: every line followed by {@code \n}.
     *
     * @return the serial output of one boot; empty when there are no lines
     */
    public String serialOutput() {
        StringBuilder s = new StringBuilder();
        for (String line : lines) {
            s.append(line).append('\n');
        }
        return s.toString();
    }

    /**
     * The ELF image (a copy).
     *
     * @return a fresh copy of the image bytes on every call
     */
    public byte[] bytes() {
        return image.clone();
    }

    /**
     * Writes the image to {@code file} (created or replaced) and returns it.
     *
     * @param file where to write the image; the caller owns the file
     * @return {@code file}
     * @throws UncheckedIOException if it cannot be written
     */
    public Path writeTo(Path file) {
        try {
            Files.write(file, image);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test guest " + file + ": " + e, e);
        }
    }

    private byte[] serialBytes() {
        return serialOutput().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PvhTestGuest{mode=" + mode + ", lines=" + lines.size() + ", powerOffDelay=" + powerOffDelay + "}";
    }

    /** Configures a {@link PvhTestGuest}. Not thread-safe. */
    public static final class Builder {
        private final List<String> lines = new ArrayList<>();
        private Mode mode = Mode.POWER_OFF;
        private Duration powerOffDelay = Duration.ZERO;

        private Builder() {}

        /**
         * Adds a line the guest prints on the serial port (followed by {@code \n}).
         *
         * @param line the text, written as UTF-8, without {@code \n} or {@code \r}
         * @return this builder
         * @throws IllegalArgumentException if it contains a line break
         * @throws NullPointerException if {@code line} is null
         */
        public Builder serialLine(String line) {
            Objects.requireNonNull(line, "line == null");
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(
                        "a serial line cannot contain a line break: call serialLine once per line");
            }
            lines.add(line);
            return this;
        }

        /**
         * What the guest does after printing (default {@link Mode#POWER_OFF}).
         *
         * @param mode the mode
         * @return this builder
         * @throws NullPointerException if {@code mode} is null
         */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode == null");
            return this;
        }

        /**
         * The wait before power-off, for {@link Mode#POWER_OFF_AFTER_DELAY} (millisecond resolution, at most
         * one hour).
         *
         * @param delay how long the guest waits after printing before it powers off
         * @return this builder
         * @throws IllegalArgumentException if negative or longer than an hour
         * @throws NullPointerException if {@code delay} is null
         */
        public Builder powerOffDelay(Duration delay) {
            Objects.requireNonNull(delay, "delay == null");
            if (delay.isNegative() || delay.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("powerOffDelay must be between 0 and 1 hour, was " + delay);
            }
            this.powerOffDelay = delay;
            return this;
        }

        /**
         * Builds the guest.
         *
         * @return the guest, its image built at once
         * @throws IllegalStateException if a delay was set for a mode other than
         *     {@link Mode#POWER_OFF_AFTER_DELAY}, or the lines exceed 64 KiB
         */
        public PvhTestGuest build() {
            if (!powerOffDelay.isZero() && mode != Mode.POWER_OFF_AFTER_DELAY) {
                throw new IllegalStateException(
                        "powerOffDelay only applies to Mode.POWER_OFF_AFTER_DELAY, mode is " + mode);
            }
            int size = 0;
            for (String l : lines) {
                size += l.getBytes(StandardCharsets.UTF_8).length + 1;
            }
            if (size > PvhImage.MAX_SERIAL) {
                throw new IllegalStateException(
                        "serial lines total " + size + " bytes, more than " + PvhImage.MAX_SERIAL);
            }
            return new PvhTestGuest(lines, mode, powerOffDelay);
        }
    }
}
