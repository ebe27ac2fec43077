package dev.virtualghost.ch.model;

import com.squareup.moshi.Json;
import dev.virtualghost.ch.internal.Copies;
import java.util.List;

/**
 * Guest RAM: size, hot-plug, sharing, huge pages, and NUMA zones. All sizes are in bytes.
 *
 * <p>Mirrors the {@code MemoryConfig} schema of CH's REST API: a null component is left out of the JSON, so CH
 * applies its own default; unknown fields sent by a newer CH are ignored. Immutable.
 * Build one with {@link #builder()}; change a copy with {@link #newBuilder()}.
 *
 * @param size guest RAM at boot, in bytes; required (0 when all RAM comes from {@code zones})
 * @param hotplugSize RAM that may later be hot-plugged through {@code vm.resize}, in bytes
 * @param hotpluggedSize RAM hot-plugged already, in bytes (restores and {@code vm.info} report it)
 * @param mergeable if true, CH marks guest RAM {@code MADV_MERGEABLE} so the host's KSM may merge identical pages; CH default false
 * @param hotplugMethod how RAM is hot-plugged: {@code Acpi} (CH default) or {@code VirtioMem}
 * @param shared if true, CH maps guest RAM {@code MAP_SHARED} (needed by vhost-user devices and virtio-fs); CH default false
 * @param hugepages if true, CH backs guest RAM with huge pages (hugetlbfs), which must be reserved on the host; CH default false
 * @param hugepageSize huge page size in bytes (e.g. 2 MiB or 1 GiB); with {@code hugepages}; the host's default size when absent
 * @param prefault if true, CH touches all guest RAM at start ({@code MAP_POPULATE}): slower boot, no page faults later; CH default false
 * @param reserve if true, CH reserves swap space for guest RAM ({@code MAP_NORESERVE} off), so the host cannot over-commit it; CH default false
 * @param thp if true, CH advises transparent huge pages for guest RAM; CH default true
 * @param zones NUMA memory zones, each with its own size and backing; used with {@code size} 0
 */
public record MemoryConfig(
        Long size,
        @Json(name = "hotplug_size") Long hotplugSize,
        @Json(name = "hotplugged_size") Long hotpluggedSize,
        Boolean mergeable,
        @Json(name = "hotplug_method") String hotplugMethod,
        Boolean shared,
        Boolean hugepages,
        @Json(name = "hugepage_size") Long hugepageSize,
        Boolean prefault,
        Boolean reserve,
        Boolean thp,
        List<MemoryZoneConfig> zones) {

    /**
     * Creates the record; list and map components are copied, so later changes to the arguments do not show.
     *
     * @param size guest RAM at boot, in bytes; required (0 when all RAM comes from {@code zones})
     * @param hotplugSize RAM that may later be hot-plugged through {@code vm.resize}, in bytes
     * @param hotpluggedSize RAM hot-plugged already, in bytes (restores and {@code vm.info} report it)
     * @param mergeable if true, CH marks guest RAM {@code MADV_MERGEABLE} so the host's KSM may merge identical pages; CH default false
     * @param hotplugMethod how RAM is hot-plugged: {@code Acpi} (CH default) or {@code VirtioMem}
     * @param shared if true, CH maps guest RAM {@code MAP_SHARED} (needed by vhost-user devices and virtio-fs); CH default false
     * @param hugepages if true, CH backs guest RAM with huge pages (hugetlbfs), which must be reserved on the host; CH default false
     * @param hugepageSize huge page size in bytes (e.g. 2 MiB or 1 GiB); with {@code hugepages}; the host's default size when absent
     * @param prefault if true, CH touches all guest RAM at start ({@code MAP_POPULATE}): slower boot, no page faults later; CH default false
     * @param reserve if true, CH reserves swap space for guest RAM ({@code MAP_NORESERVE} off), so the host cannot over-commit it; CH default false
     * @param thp if true, CH advises transparent huge pages for guest RAM; CH default true
     * @param zones NUMA memory zones, each with its own size and backing; used with {@code size} 0
     */
    public MemoryConfig {
        zones = Copies.list(zones);
    }

    /**
     * Guest RAM of {@code bytes}, everything else defaulted by CH.
     *
     * @param bytes guest RAM in bytes, e.g. {@code 1L << 30} for 1 GiB
     * @return the config
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public static MemoryConfig ofSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes <= 0: " + bytes);
        }
        return new MemoryConfig(bytes, null, null, null, null, null, null, null, null, null, null, null);
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
        b.size = size;
        b.hotplugSize = hotplugSize;
        b.hotpluggedSize = hotpluggedSize;
        b.mergeable = mergeable;
        b.hotplugMethod = hotplugMethod;
        b.shared = shared;
        b.hugepages = hugepages;
        b.hugepageSize = hugepageSize;
        b.prefault = prefault;
        b.reserve = reserve;
        b.thp = thp;
        b.zones = zones;
        return b;
    }

    /** Mutable builder for {@link MemoryConfig}; not thread-safe. Unset components stay absent (CH's default). */
    public static final class Builder {
        private Long size;
        private Long hotplugSize;
        private Long hotpluggedSize;
        private Boolean mergeable;
        private String hotplugMethod;
        private Boolean shared;
        private Boolean hugepages;
        private Long hugepageSize;
        private Boolean prefault;
        private Boolean reserve;
        private Boolean thp;
        private List<MemoryZoneConfig> zones;

        private Builder() {}

        /**
         * Sets {@code size}.
         *
         * @param size guest RAM at boot, in bytes; required (0 when all RAM comes from {@code zones})
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder size(long size) {
            if (size <= 0) {
                throw new IllegalArgumentException("size must be positive: " + size);
            }
            this.size = size;
            return this;
        }

        /**
         * Sets {@code hotplugSize}.
         *
         * @param hotplugSize RAM that may later be hot-plugged through {@code vm.resize}, in bytes
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder hotplugSize(long hotplugSize) {
            if (hotplugSize <= 0) {
                throw new IllegalArgumentException("hotplugSize must be positive: " + hotplugSize);
            }
            this.hotplugSize = hotplugSize;
            return this;
        }

        /**
         * Sets {@code hotpluggedSize}.
         *
         * @param hotpluggedSize RAM hot-plugged already, in bytes (restores and {@code vm.info} report it)
         * @return this builder
         */
        public Builder hotpluggedSize(long hotpluggedSize) {
            this.hotpluggedSize = hotpluggedSize;
            return this;
        }

        /**
         * Sets {@code mergeable}.
         *
         * @param mergeable if true, CH marks guest RAM {@code MADV_MERGEABLE} so the host's KSM may merge identical pages; CH default false
         * @return this builder
         */
        public Builder mergeable(boolean mergeable) {
            this.mergeable = mergeable;
            return this;
        }

        /**
         * Sets {@code hotplugMethod}.
         *
         * @param hotplugMethod how RAM is hot-plugged: {@code Acpi} (CH default) or {@code VirtioMem}
         * @return this builder
         */
        public Builder hotplugMethod(String hotplugMethod) {
            this.hotplugMethod = hotplugMethod;
            return this;
        }

        /**
         * Sets {@code shared}.
         *
         * @param shared if true, CH maps guest RAM {@code MAP_SHARED} (needed by vhost-user devices and virtio-fs); CH default false
         * @return this builder
         */
        public Builder shared(boolean shared) {
            this.shared = shared;
            return this;
        }

        /**
         * Sets {@code hugepages}.
         *
         * @param hugepages if true, CH backs guest RAM with huge pages (hugetlbfs), which must be reserved on the host; CH default false
         * @return this builder
         */
        public Builder hugepages(boolean hugepages) {
            this.hugepages = hugepages;
            return this;
        }

        /**
         * Sets {@code hugepageSize}.
         *
         * @param hugepageSize huge page size in bytes (e.g. 2 MiB or 1 GiB); with {@code hugepages}; the host's default size when absent
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder hugepageSize(long hugepageSize) {
            if (hugepageSize <= 0) {
                throw new IllegalArgumentException("hugepageSize must be positive: " + hugepageSize);
            }
            this.hugepageSize = hugepageSize;
            return this;
        }

        /**
         * Sets {@code prefault}.
         *
         * @param prefault if true, CH touches all guest RAM at start ({@code MAP_POPULATE}): slower boot, no page faults later; CH default false
         * @return this builder
         */
        public Builder prefault(boolean prefault) {
            this.prefault = prefault;
            return this;
        }

        /**
         * Sets {@code reserve}.
         *
         * @param reserve if true, CH reserves swap space for guest RAM ({@code MAP_NORESERVE} off), so the host cannot over-commit it; CH default false
         * @return this builder
         */
        public Builder reserve(boolean reserve) {
            this.reserve = reserve;
            return this;
        }

        /**
         * Sets {@code thp}.
         *
         * @param thp if true, CH advises transparent huge pages for guest RAM; CH default true
         * @return this builder
         */
        public Builder thp(boolean thp) {
            this.thp = thp;
            return this;
        }

        /**
         * Sets {@code zones}.
         *
         * @param zones NUMA memory zones, each with its own size and backing; used with {@code size} 0
         * @return this builder
         */
        public Builder zones(List<MemoryZoneConfig> zones) {
            this.zones = zones;
            return this;
        }

        /**
         * Builds the record.
         *
         * @return the config
         * @throws IllegalStateException if {@code size} is not set
         */
        public MemoryConfig build() {
            if (size == null) {
                throw new IllegalStateException("MemoryConfig needs size");
            }
            return new MemoryConfig(
                    size,
                    hotplugSize,
                    hotpluggedSize,
                    mergeable,
                    hotplugMethod,
                    shared,
                    hugepages,
                    hugepageSize,
                    prefault,
                    reserve,
                    thp,
                    zones);
        }
    }
}
