package dev.virtualghost.ch.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The defaults CH v54 fills into a VmConfig at {@code vm.create}, in the order its serializer writes the fields,
 * as measured with {@code vm.info} on the reference host ({@code ../shared/ch/README.md}): {@code cpus}
 * ({@code kvm_hyperv}, {@code max_phys_bits} 46, {@code features.amx}, {@code nested}, {@code core_scheduling},
 * {@code profile}), {@code memory} (8 flags, {@code hotplug_method} Acpi, {@code thp}), {@code rng},
 * {@code serial} Null, {@code console} Tty, {@code debug_console}, {@code pci_segment} on devices, disk flags,
 * and the four top-level booleans. {@code max_phys_bits} is the host's in the real VMM; 46 is the reference
 * host's. Fields it does not know keep their place after the known ones.
 *
 * <p>Stateless and thread-safe.
 */
final class ChDefaults {
    private static final List<String> ORDER = List.of(
            "cpus",
            "memory",
            "payload",
            "rate_limit_groups",
            "disks",
            "net",
            "rng",
            "balloon",
            "fs",
            "pmem",
            "serial",
            "console",
            "debug_console",
            "devices",
            "user_devices",
            "vdpa",
            "vsock",
            "pvpanic",
            "iommu",
            "sgx_epc",
            "numa",
            "watchdog",
            "pci_segments",
            "platform",
            "tpm",
            "landlock_enable",
            "landlock_rules");

    private ChDefaults() {}

    /** A new config: {@code body} with CH's defaults, fields in CH's order. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> apply(Map<String, Object> body) {
        Map<String, Object> c = new LinkedHashMap<>(body);
        Map<String, Object> cpus = merge(c.get("cpus"), "boot_vcpus", 1L);
        cpus.putIfAbsent("max_vcpus", cpus.get("boot_vcpus"));
        defaults(
                cpus,
                "kvm_hyperv",
                false,
                "max_phys_bits",
                46L,
                "features",
                new LinkedHashMap<>(Map.of("amx", false)),
                "nested",
                true,
                "core_scheduling",
                "Vm",
                "profile",
                "Host");
        c.put("cpus", cpus);
        Map<String, Object> memory = merge(c.get("memory"), "size", 512L << 20);
        defaults(
                memory,
                "mergeable",
                false,
                "hotplug_method",
                "Acpi",
                "shared",
                false,
                "hugepages",
                false,
                "prefault",
                false,
                "reserve",
                false,
                "thp",
                true);
        c.put("memory", memory);
        c.put("rng", merge(c.get("rng"), "pci_segment", 0L, "src", "/dev/urandom"));
        c.put("serial", console(c.get("serial"), "Null", false));
        c.put("console", console(c.get("console"), "Tty", true));
        c.put("debug_console", merge(c.get("debug_console"), "mode", "Off", "iobase", 233L));
        if (c.get("disks") instanceof List<?> disks) {
            c.put(
                    "disks",
                    devices(
                            disks,
                            "readonly",
                            false,
                            "direct",
                            false,
                            "num_queues",
                            1L,
                            "queue_size",
                            128L,
                            "vhost_user",
                            false,
                            "disable_io_uring",
                            false,
                            "disable_aio",
                            false,
                            "backing_files",
                            false,
                            "sparse",
                            true,
                            "image_type",
                            "Unknown",
                            "lock_granularity",
                            "ByteRange"));
        }
        if (c.get("devices") instanceof List<?> devices) {
            c.put("devices", devices(devices, "x_exclude_mmap_bars", new ArrayList<>()));
        }
        if (c.get("vsock") instanceof Map<?, ?> vsock) {
            c.put("vsock", device((Map<String, Object>) vsock));
        }
        for (String flag : List.of("pvpanic", "iommu", "watchdog", "landlock_enable")) {
            c.putIfAbsent(flag, false);
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String key : ORDER) {
            if (c.containsKey(key)) {
                ordered.put(key, c.remove(key));
            }
        }
        ordered.putAll(c);
        return ordered;
    }

    /** A ConsoleConfig in serde's field order: {@code file}, {@code socket}, {@code mode}, then the rest. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> console(Object value, String defaultMode, boolean pciSegment) {
        Map<String, Object> given = value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : List.of("file", "socket")) {
            if (given.containsKey(key)) {
                out.put(key, given.get(key));
            }
        }
        out.put("mode", given.getOrDefault("mode", defaultMode));
        given.forEach(out::putIfAbsent);
        if (pciSegment) {
            out.putIfAbsent("pci_segment", 0L);
        }
        return out;
    }

    /** A device list with {@code id}, {@code pci_segment} first, then its fields, then the given defaults. */
    @SuppressWarnings("unchecked")
    private static List<Object> devices(List<?> list, Object... defaults) {
        List<Object> out = new ArrayList<>();
        for (Object d : list) {
            if (d instanceof Map<?, ?> m) {
                Map<String, Object> device = device((Map<String, Object>) m);
                defaults(device, defaults);
                out.add(device);
            } else {
                out.add(d);
            }
        }
        return out;
    }

    private static Map<String, Object> device(Map<String, Object> m) {
        Map<String, Object> device = new LinkedHashMap<>();
        if (m.containsKey("id")) {
            device.put("id", m.get("id"));
        }
        device.put("pci_segment", m.getOrDefault("pci_segment", 0L));
        m.forEach(device::putIfAbsent);
        return device;
    }

    /** {@code value} as a mutable map (fields in their order) with {@code defaults} filled in FIRST-seen order. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Object value, Object... defaults) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> given = value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        for (int i = 0; i < defaults.length; i += 2) {
            String key = (String) defaults[i];
            out.put(key, given.containsKey(key) ? given.get(key) : defaults[i + 1]);
        }
        given.forEach(out::putIfAbsent);
        return out;
    }

    private static void defaults(Map<String, Object> target, Object... defaults) {
        for (int i = 0; i < defaults.length; i += 2) {
            target.putIfAbsent((String) defaults[i], defaults[i + 1]);
        }
    }
}
