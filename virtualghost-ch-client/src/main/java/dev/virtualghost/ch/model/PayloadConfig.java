package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the guest boots: a kernel (direct boot, with optional command line and initramfs), a firmware, or an IGVM file.
 *
 * <p>Mirrors the {@code PayloadConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 * Build one with {@link #builder()}; change a copy with {@link #newBuilder()}.
 *
 * @param firmware host path of a firmware image (e.g. rust-hypervisor-firmware or EDK2's CLOUDHV.fd) CH loads and starts at; set this or {@code kernel}
 * @param kernel host path of the kernel CH loads (an ELF {@code vmlinux} with a PVH note, or a {@code bzImage} on x86_64) and jumps into; set this or {@code firmware}
 * @param cmdline the kernel command line CH passes to {@code kernel}
 * @param initramfs host path of an initramfs CH loads into guest memory for {@code kernel}
 * @param igvm host path of an IGVM file (confidential guests), instead of a kernel or firmware
 * @param hostData host data (hex, up to 32 bytes) for confidential guests' attestation reports
 */
public record PayloadConfig(
        String firmware,
        String kernel,
        String cmdline,
        String initramfs,
        String igvm,
        @Json(name = "host_data") String hostData) {

    /**
     * A direct-kernel boot with a command line.
     *
     * @param kernel host path of the kernel
     * @param cmdline the kernel command line, or null for none
     * @return the payload
     */
    public static PayloadConfig ofKernel(String kernel, String cmdline) {
        Objects.requireNonNull(kernel, "kernel == null");
        return new PayloadConfig(null, kernel, cmdline, null, null, null);
    }

    /**
     * A direct-kernel boot with a command line.
     *
     * @param kernel host path of the kernel, made absolute
     * @param cmdline the kernel command line, or null for none
     * @return the payload
     */
    public static PayloadConfig ofKernel(Path kernel, String cmdline) {
        return ofKernel(kernel.toAbsolutePath().toString(), cmdline);
    }

    /**
     * Returns an empty builder.
     *
     * @return a builder with every component absent
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding this config's values, to make a changed copy.
     *
     * @return a builder initialised from this record
     */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.firmware = firmware;
        b.kernel = kernel;
        b.cmdline = cmdline;
        b.initramfs = initramfs;
        b.igvm = igvm;
        b.hostData = hostData;
        return b;
    }

    /** Mutable builder for {@link PayloadConfig}; not thread-safe. Unset components stay absent (CH's default). */
    public static final class Builder {
        private String firmware;
        private String kernel;
        private String cmdline;
        private String initramfs;
        private String igvm;
        private String hostData;

        private Builder() {}

        /**
         * Sets {@code firmware}.
         *
         * @param firmware host path of a firmware image (e.g. rust-hypervisor-firmware or EDK2's CLOUDHV.fd) CH loads and starts at; set this or {@code kernel}
         * @return this builder
         */
        public Builder firmware(String firmware) {
            this.firmware = firmware;
            return this;
        }

        /**
         * Sets {@code firmware} from a path, made absolute.
         *
         * @param firmware host path of a firmware image (e.g. rust-hypervisor-firmware or EDK2's CLOUDHV.fd) CH loads and starts at; set this or {@code kernel}
         * @return this builder
         */
        public Builder firmware(Path firmware) {
            this.firmware = firmware.toAbsolutePath().toString();
            return this;
        }

        /**
         * Sets {@code kernel}.
         *
         * @param kernel host path of the kernel CH loads (an ELF {@code vmlinux} with a PVH note, or a {@code bzImage} on x86_64) and jumps into; set this or {@code firmware}
         * @return this builder
         */
        public Builder kernel(String kernel) {
            this.kernel = kernel;
            return this;
        }

        /**
         * Sets {@code kernel} from a path, made absolute.
         *
         * @param kernel host path of the kernel CH loads (an ELF {@code vmlinux} with a PVH note, or a {@code bzImage} on x86_64) and jumps into; set this or {@code firmware}
         * @return this builder
         */
        public Builder kernel(Path kernel) {
            this.kernel = kernel.toAbsolutePath().toString();
            return this;
        }

        /**
         * Sets {@code cmdline}.
         *
         * @param cmdline the kernel command line CH passes to {@code kernel}
         * @return this builder
         */
        public Builder cmdline(String cmdline) {
            this.cmdline = cmdline;
            return this;
        }

        /**
         * Sets {@code initramfs}.
         *
         * @param initramfs host path of an initramfs CH loads into guest memory for {@code kernel}
         * @return this builder
         */
        public Builder initramfs(String initramfs) {
            this.initramfs = initramfs;
            return this;
        }

        /**
         * Sets {@code initramfs} from a path, made absolute.
         *
         * @param initramfs host path of an initramfs CH loads into guest memory for {@code kernel}
         * @return this builder
         */
        public Builder initramfs(Path initramfs) {
            this.initramfs = initramfs.toAbsolutePath().toString();
            return this;
        }

        /**
         * Sets {@code igvm}.
         *
         * @param igvm host path of an IGVM file (confidential guests), instead of a kernel or firmware
         * @return this builder
         */
        public Builder igvm(String igvm) {
            this.igvm = igvm;
            return this;
        }

        /**
         * Sets {@code igvm} from a path, made absolute.
         *
         * @param igvm host path of an IGVM file (confidential guests), instead of a kernel or firmware
         * @return this builder
         */
        public Builder igvm(Path igvm) {
            this.igvm = igvm.toAbsolutePath().toString();
            return this;
        }

        /**
         * Sets {@code hostData}.
         *
         * @param hostData host data (hex, up to 32 bytes) for confidential guests' attestation reports
         * @return this builder
         */
        public Builder hostData(String hostData) {
            this.hostData = hostData;
            return this;
        }

        /**
         * Builds the record.
         *
         * @return the config
         * @throws IllegalStateException if none of {@code kernel}, {@code firmware} or {@code igvm} was set
         */
        public PayloadConfig build() {
            if (kernel == null && firmware == null && igvm == null) {
                throw new IllegalStateException("PayloadConfig needs a kernel, a firmware or an igvm file");
            }
            return new PayloadConfig(firmware, kernel, cmdline, initramfs, igvm, hostData);
        }
    }
}
